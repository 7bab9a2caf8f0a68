"""A unit is deemed lost only where the terms deem it: a Managed Router unit not returned within 30 days
after its contract ended (art. 7 ¶3, art. 9 ¶2). A rented ISP Platform router (art. 7 ¶4 「遅滞なく」, ¶6)
and a failed unit swapped on a live contract (Managed Router art. 8) stay overdue returns: reminded, followed
up by a person, the customer's answers kept, and charged as lost only once staff record the unit lost.
Each overdue incident names the article it rests on."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from contracts.choices import TerminationReason
from contracts.services import lifecycle
from equipment import queries
from equipment.choices import ChargeKind, IncidentKind, ReminderKind, ReturnGround, UnitState
from equipment.models import Charge, FollowUp, Incident, ReturnReminder
from equipment.services import charges, incidents, reminders, units
from tests.admin.conftest import change_url, changelist_url, messages_of, run_action

from . import factories as ef
from .conftest import installed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = date
S = UnitState

MR_ENDED = "Managed Router art. 7 ¶3, art. 9 ¶2"
ISP = "ISP Platform art. 7 ¶4, ¶6"
SWAPPED = "Managed Router art. 8"


def _run(day: date) -> str:
    out = StringIO()
    call_command("flag_overdue_returns", today=day.isoformat(), stdout=out)
    return out.getvalue()


def _reachable(customer):
    customer.failure_contact_email = "noc@example.jp"
    customer.save()


def _ended_router_unit(make_unit, router_contract, capture):
    """A unit of a Managed Router contract that ended on 2025-05-31: back by 2025-06-30 (art. 7 ¶3)."""
    unit = installed(make_unit(), contract=router_contract)
    with capture(execute=True):
        lifecycle.terminate(router_contract, on=D(2025, 5, 31), reason=TerminationReason.GT_ART28_2)
    unit.refresh_from_db()
    return unit


@override_settings(EQUIPMENT_ISP_RETURN_DAYS=14)
def _stopped_rental_unit(make_unit, rental_option, capture):
    """A rented ISP router whose option stopped on 2025-03-31: back "without delay", by 2025-04-14."""
    unit = installed(make_unit(), option=rental_option)
    lifecycle.register_notice(rental_option, received_on=D(2025, 3, 1))
    with capture(execute=True):
        lifecycle.terminate(rental_option, on=D(2025, 3, 31))
    unit.refresh_from_db()
    return unit


def _swapped_failed_unit(make_unit, router_contract):
    """A failed unit swapped on 2025-02-03 on a live Managed Router contract: back by 2025-02-17 (art. 8)."""
    unit = installed(make_unit(), contract=router_contract)
    failure = incidents.report_failure(unit, on=D(2025, 2, 1))
    incidents.start_investigation(failure, on=D(2025, 2, 2))
    incidents.resolve_failure(
        failure, cause="our_fault", resolution="replaced", on=D(2025, 2, 3), replacement=make_unit()
    )
    unit.refresh_from_db()
    return unit


def test_a_managed_router_unit_31_days_after_the_contract_ended_is_deemed_lost_with_a_loss_charge(
    make_unit, router_contract, logistics, django_capture_on_commit_callbacks
):
    unit = _ended_router_unit(make_unit, router_contract, django_capture_on_commit_callbacks)
    assert (unit.return_deadline, unit.return_ground) == (D(2025, 6, 30), ReturnGround.CONTRACT_ENDED)
    assert "0 units flagged" in _run(D(2025, 6, 30))  # the 30th day is still in time
    out = _run(D(2025, 7, 1))
    assert f"not returned: {unit.serial} (deadline June 30, 2025, {MR_ENDED})" in out

    incident = Incident.objects.get(unit=unit)
    assert (incident.kind, incident.ground, incident.article) == (
        IncidentKind.NOT_RETURNED,
        ReturnGround.CONTRACT_ENDED,
        MR_ENDED,
    )
    assert "deemed lost" in incident.note
    assert incident.follow_up_on is None and list(queries.to_follow_up(D(2025, 12, 1))) == []
    assert list(queries.to_assess()) == [incident]
    charge = charges.assess(incident, on=D(2025, 7, 1), by=logistics)
    assert (charge.kind, charge.amount) == (ChargeKind.LOSS, 80_000)
    with pytest.raises(ValidationError, match=r"deemed lost \(Managed Router art. 9 ¶2\)"):
        incidents.record_lost(incident, on=D(2025, 7, 2), by=logistics)


def test_a_unit_of_an_ended_contract_asked_back_by_hand_keeps_its_30_days(make_unit, router_contract):
    unit = installed(make_unit(), contract=router_contract)
    lifecycle.terminate(router_contract, on=D(2025, 5, 31), reason=TerminationReason.GT_ART28_2)  # unheard
    with pytest.raises(ValidationError, match=r"until June 30, 2025, 30 days after .*\(Managed Router art. 7 ¶3\)"):
        units.request_return(unit, on=D(2025, 6, 1), deadline=D(2025, 6, 15))
    units.request_return(unit, on=D(2025, 6, 1), deadline=D(2025, 6, 30))
    unit.refresh_from_db()
    assert (unit.return_ground, unit.return_article) == (ReturnGround.CONTRACT_ENDED, MR_ENDED)


@override_settings(EQUIPMENT_ISP_RETURN_DAYS=14, EQUIPMENT_REMINDER_DAYS_BEFORE=7, EQUIPMENT_REMINDER_DAYS_AFTER=7)
def test_an_overdue_isp_router_is_reminded_and_followed_up_and_charged_only_once_recorded_lost(
    make_unit, rental_option, logistics, mailoutbox, django_capture_on_commit_callbacks
):
    _reachable(rental_option.contract.customer)
    unit = _stopped_rental_unit(make_unit, rental_option, django_capture_on_commit_callbacks)
    assert (unit.return_deadline, unit.return_ground) == (D(2025, 4, 14), ReturnGround.RENTAL)

    _run(D(2025, 4, 7))
    assert f"by April 14, 2025 ({ISP})." in mailoutbox[0].body
    assert f"not returned: {unit.serial} (deadline April 14, 2025, {ISP})" in _run(D(2025, 4, 15))
    incident = Incident.objects.get(unit=unit)
    assert (incident.ground, incident.article, incident.follow_up_on) == (ReturnGround.RENTAL, ISP, D(2025, 4, 21))

    # Not a loss: no charge can be assessed, nothing waits for one.
    assert incident not in queries.to_assess()
    with pytest.raises(ValidationError, match=r"only once the unit is recorded lost \(ISP Platform art. 7 ¶4, ¶6\)"):
        charges.assess(incident, on=D(2025, 4, 15), by=logistics, amount=80_000, reason="x")

    # The reminder after the deadline, and a person from the same day.
    assert list(queries.to_follow_up(D(2025, 4, 20))) == []
    _run(D(2025, 4, 21))
    after = ReturnReminder.objects.get(unit=unit, kind=ReminderKind.AFTER)
    assert after.queued_on == D(2025, 4, 21)
    body = mailoutbox[-1].body
    assert f"due back by April 14, 2025 ({ISP})" in body and "tell us if it has been lost" in body
    assert "charged as lost" not in body
    assert list(queries.to_follow_up(D(2025, 4, 21))) == [incident]

    # The customer's answer, dated, with the next follow-up: off the list until then.
    incidents.record_answer(
        incident, on=D(2025, 4, 22), answer="Looking for it in the branch office.", next_on=D(2025, 4, 29), by=logistics
    )
    assert list(queries.to_follow_up(D(2025, 4, 28))) == []
    assert list(queries.to_follow_up(D(2025, 4, 29))) == [incident]
    follow_up = FollowUp.objects.get(incident=incident)
    assert (follow_up.on, follow_up.by, follow_up.next_on) == (D(2025, 4, 22), logistics, D(2025, 4, 29))
    assert follow_up.history.get().history_user == logistics
    assert Charge.objects.count() == 0

    # Staff record it lost: now, and only now, the loss charge (ISP Platform art. 7 ¶6).
    incidents.record_lost(incident, on=D(2025, 4, 30), by=logistics, note="customer confirmed the loss")
    unit.refresh_from_db()
    incident.refresh_from_db()
    assert (unit.status, unit.return_deadline, unit.return_ground) == (S.LOST, None, "")
    assert (incident.recorded_lost_on, incident.recorded_lost_by) == (D(2025, 4, 30), logistics)
    assert incident.history.latest().history_user == logistics
    assert list(queries.to_follow_up(D(2025, 5, 30))) == []
    assert list(queries.to_assess()) == [incident]
    charge = charges.assess(incident, on=D(2025, 4, 30), by=logistics)
    assert (charge.kind, charge.amount) == (ChargeKind.LOSS, 80_000)
    sent = len(mailoutbox)
    _run(D(2025, 5, 10))
    assert len(mailoutbox) == sent  # a lost unit is no longer reminded of


def test_a_swapped_failed_unit_overdue_on_a_live_contract_is_followed_up_not_charged_until_recorded_lost(
    make_unit, router_contract, logistics
):
    unit = _swapped_failed_unit(make_unit, router_contract)
    assert (unit.status, unit.return_ground) == (S.RETURN_REQUESTED, ReturnGround.FAILED_UNIT)
    assert unit.return_deadline == D(2025, 2, 3) + timedelta(days=settings.EQUIPMENT_ISP_RETURN_DAYS)

    incident = incidents.flag_overdue(unit, today=D(2025, 2, 18))
    assert (incident.kind, incident.ground, incident.article) == (
        IncidentKind.NOT_RETURNED,
        ReturnGround.FAILED_UNIT,
        SWAPPED,
    )
    assert incident not in queries.to_assess()
    with pytest.raises(ValidationError, match=r"\(Managed Router art. 8\)"):
        charges.assess(incident, on=D(2025, 2, 18), by=logistics)
    assert list(queries.to_follow_up(D(2025, 2, 24))) == [incident]

    incidents.record_lost(incident, on=D(2025, 2, 25), by=logistics)
    charge = charges.assess(incident, on=D(2025, 2, 25), by=logistics)
    assert (charge.kind, charge.amount) == (ChargeKind.LOSS, 80_000)


def test_a_late_return_not_deemed_lost_is_just_late_and_a_loss_is_recorded_on_its_incident(
    make_unit, rental_option, logistics
):
    incident = ef.overdue_rental(rental_option)
    with pytest.raises(ValidationError, match="overdue incident"):
        incidents.report_loss_or_damage(incident.unit, IncidentKind.LOSS, on=D(2025, 4, 16))
    with pytest.raises(ValidationError, match="deemed lost"):
        units.mark_found(incident.unit, on=D(2025, 4, 16))
    units.receive_return(incident.unit, on=D(2025, 4, 20))
    incident.unit.refresh_from_db()
    assert (incident.unit.status, incident.unit.found) == (S.RETURNED, False)
    assert list(queries.to_follow_up(D(2025, 5, 1))) == []
    with pytest.raises(ValidationError, match="no longer overdue"):
        incidents.record_lost(incident, on=D(2025, 4, 21), by=logistics)


def test_each_overdue_incident_names_its_article_in_the_admin_and_the_reminders(
    staff_client, make_unit, router_contract, rental_option, django_capture_on_commit_callbacks
):
    ended = _ended_router_unit(make_unit, ef.router_contract(), django_capture_on_commit_callbacks)
    swapped = _swapped_failed_unit(make_unit, router_contract)
    rented = installed(make_unit(), option=rental_option)
    units.request_return(rented, on=D(2025, 3, 31), deadline=D(2025, 4, 14))
    for unit, article in ((ended, MR_ENDED), (swapped, SWAPPED), (rented, ISP)):
        unit.refresh_from_db()
        _reachable(unit.customer)
        reminder = reminders.claim(unit, ReminderKind.BEFORE, today=unit.return_deadline)
        assert f"({article})." in reminder.message.body
        assert article in staff_client.get(change_url(unit)).content.decode()
        incidents.flag_overdue(unit, today=D(2025, 7, 1))
    page = staff_client.get(changelist_url(Incident)).content.decode()
    for article in (MR_ENDED, SWAPPED, ISP):
        assert article in page, article
    detail = staff_client.get(change_url(Incident.objects.get(unit=rented))).content.decode()
    assert ISP in detail and "Managed Router art. 9" not in detail


def test_logistics_follows_up_and_records_the_unit_lost_through_the_admin(client, logistics, rental_option):
    incident = ef.overdue_rental(rental_option)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(logistics)

    worklist = client.get(changelist_url(Incident) + "?worklist=to_follow_up")
    assert list(worklist.context["cl"].result_list) == [incident]

    run_action(
        client,
        Incident,
        "record_answer",
        [incident],
        on=D(2025, 4, 22),
        answer="Customer will look for it.",
        next_on=D(2025, 4, 29),
    )
    assert FollowUp.objects.get(incident=incident).by == logistics
    assert "Customer will look for it." in client.get(change_url(incident)).content.decode()

    data = {"action": "record_lost", "_selected_action": [incident.pk], "on": "2025-04-30", "note": "confirmed"}
    confirm = client.post(changelist_url(Incident), {**data, "_step": "form"})
    assert confirm.context["confirm"] and "its loss charge waits on the assessment worklist" in (
        confirm.content.decode()
    )
    incident.refresh_from_db()
    assert incident.recorded_lost_on is None  # nothing before "yes"
    done = client.post(changelist_url(Incident), {**data, "_step": "confirm"})
    assert any("Record the unit lost: done" in m and ISP in m for m in messages_of(done))
    incident.refresh_from_db()
    assert (incident.recorded_lost_on, incident.recorded_lost_by, incident.unit.status) == (
        D(2025, 4, 30),
        logistics,
        S.LOST,
    )
    assert incident.history.latest().history_user == logistics
    run_action(client, Incident, "assess", [incident], on=D(2025, 4, 30))
    assert incident.charge.kind == ChargeKind.LOSS

    again = run_action(client, Incident, "record_lost", [incident], on=D(2025, 5, 1))
    assert any("already recorded lost" in m for m in messages_of(again))
