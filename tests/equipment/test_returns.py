"""Returns: a contract's end or an option's stop asks its units back (Managed Router art. 7 ¶3, ISP
Platform art. 7); the router rental cancellation fee per unit (annex 1 3.(3)); the overdue command and
the reminders."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings

from backoffice.months import Month
from contracts.choices import TerminationReason
from contracts.services import changes, lifecycle
from equipment.billing_source import cancellation_fees
from equipment.choices import IncidentKind, ReminderKind, UnitState
from equipment.models import Incident, ReturnReminder, Unit, UnitEvent
from equipment.rules import managed_router_deadline
from equipment.services import units
from tests.billing.helpers import bill

from .conftest import installed

pytestmark = pytest.mark.django_db
D = date
S = UnitState


def fees() -> list:
    """Every cancellation fee arisen so far, as billing derives it."""
    return list(cancellation_fees(Month(2030, 12)))


def test_the_managed_router_deadline_is_thirty_days_after_the_last_day():
    assert managed_router_deadline(D(2025, 3, 31)) == D(2025, 4, 30)
    assert managed_router_deadline(D(2025, 1, 31)) == D(2025, 3, 2)
    assert managed_router_deadline(D(2024, 12, 31)) == D(2025, 1, 30)


def test_a_managed_router_contract_that_ends_asks_its_units_back(
    make_unit, router_contract, django_capture_on_commit_callbacks
):
    out = installed(make_unit(), contract=router_contract)
    waiting = make_unit()
    units.assign(waiting, on=D(2025, 1, 20), contract=router_contract)  # never shipped
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(router_contract, on=D(2025, 5, 31), reason=TerminationReason.GT_ART28_2)
    out.refresh_from_db()
    waiting.refresh_from_db()
    assert (out.status, out.return_deadline, out.contract) == (S.RETURN_REQUESTED, D(2025, 6, 30), router_contract)
    assert (waiting.status, waiting.contract) == (S.IN_STOCK, None)
    assert out.events.latest("pk").by is None  # the system asked, on the contract's last day
    assert out.events.latest("pk").on == D(2025, 5, 31)


@override_settings(EQUIPMENT_ISP_RETURN_DAYS=10)
def test_a_router_rental_stop_asks_back_without_delay_and_charges_the_cancellation_fee(
    make_unit, rental_option, django_capture_on_commit_callbacks
):
    first = installed(make_unit(), option=rental_option)
    second = installed(make_unit(), option=rental_option)
    lifecycle.register_notice(rental_option, received_on=D(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(rental_option, on=D(2025, 3, 31))
    for unit in (first, second):
        unit.refresh_from_db()
        assert (unit.status, unit.return_deadline) == (S.RETURN_REQUESTED, D(2025, 4, 10))
    [fee] = fees()
    assert fee.source_key == f"equipment.rental_stop:{rental_option.pk}"
    assert (fee.quantity, fee.unit_price, fee.amount, fee.occurred_on) == (2, 5_000, 10_000, D(2025, 3, 31))


def test_no_cancellation_fee_when_the_provider_ends_the_option(
    make_unit, rental_option, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(rental_option, on=D(2025, 3, 31), reason=TerminationReason.GT_ART28_3)
    assert fees() == []


def test_fewer_rented_units_cost_the_cancellation_fee_for_each_unit_no_longer_rented(
    rental_option, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes.accept_change(rental_option, on=D(2025, 2, 1), units=5)
    assert fees() == []
    with django_capture_on_commit_callbacks(execute=True):
        records = changes.accept_change(rental_option, on=D(2025, 3, 1), units=2)
    [fee] = fees()
    assert (fee.quantity, fee.amount, fee.source_key) == (3, 15_000, f"equipment.rental_reduction:{records[0].pk}")


def _awaited(make_unit, router_contract):
    """A unit of a contract that ended on 2025-05-31, asked back by hand: due by 2025-06-30 (art. 7 ¶3)."""
    unit = installed(make_unit(), contract=router_contract)
    lifecycle.terminate(router_contract, on=D(2025, 5, 31), reason=TerminationReason.GT_ART28_2)  # unheard
    units.request_return(unit, on=D(2025, 5, 31), deadline=D(2025, 6, 30))
    return unit


def _run(today: date) -> str:
    out = StringIO()
    call_command("flag_overdue_returns", today=today.isoformat(), stdout=out)
    return out.getvalue()


def test_the_overdue_command_flags_a_unit_once_and_opens_its_incident(make_unit, router_contract, english):
    unit = _awaited(make_unit, router_contract)
    assert "0 units flagged" in _run(D(2025, 6, 30))  # the deadline day itself is in time
    assert "1 units flagged" in _run(D(2025, 7, 1))
    unit.refresh_from_db()
    assert unit.status == S.NOT_RETURNED
    incident = Incident.objects.get(unit=unit)
    assert (incident.kind, incident.return_deadline, incident.contract) == (
        IncidentKind.NOT_RETURNED,
        D(2025, 6, 30),
        router_contract,
    )
    counts = (Incident.objects.count(), UnitEvent.objects.count(), Unit.history.count(), Incident.history.count())
    assert "0 units flagged" in _run(D(2025, 7, 1))
    assert "0 units flagged" in _run(D(2025, 7, 2))
    assert (Incident.objects.count(), UnitEvent.objects.count(), Unit.history.count(), Incident.history.count()) == (
        counts
    )


def test_the_database_keeps_one_incident_per_missed_deadline(make_unit, router_contract):
    unit = _awaited(make_unit, router_contract)
    _run(D(2025, 7, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(
            unit=unit, kind=IncidentKind.NOT_RETURNED, reported_on=D(2025, 7, 2), return_deadline=D(2025, 6, 30)
        )


@override_settings(EQUIPMENT_REMINDER_DAYS_BEFORE=7, EQUIPMENT_REMINDER_DAYS_AFTER=5)
def test_reminders_go_to_the_failure_contact_before_and_after_the_deadline_never_twice(
    make_unit, router_contract, mailoutbox, english
):
    customer = router_contract.customer
    customer.failure_contact_email, customer.billing_contact_email = "noc@example.jp", "bill@example.jp"
    customer.save()
    unit = _awaited(make_unit, router_contract)

    _run(D(2025, 6, 22))  # 8 days before: not yet
    assert mailoutbox == []
    _run(D(2025, 6, 23))
    _run(D(2025, 6, 24))
    assert [(m.to, m.subject) for m in mailoutbox] == [(["noc@example.jp"], f"Please return your rented router {unit}")]
    _run(D(2025, 7, 4))  # flagged on the 4th; 4 days after the deadline
    assert len(mailoutbox) == 1
    _run(D(2025, 7, 5))
    _run(D(2025, 7, 6))
    assert len(mailoutbox) == 2
    assert "charged as lost" in mailoutbox[1].body
    reminders = ReturnReminder.objects.filter(unit=unit).order_by("kind")
    assert [(r.kind, r.queued_on, r.to_email) for r in reminders] == [
        (ReminderKind.AFTER, D(2025, 7, 5), "noc@example.jp"),
        (ReminderKind.BEFORE, D(2025, 6, 23), "noc@example.jp"),
    ]


def test_without_a_failure_contact_the_billing_contact_is_reminded_and_without_any_nobody(
    make_unit, router_contract, mailoutbox
):
    unit = _awaited(make_unit, router_contract)
    customer = router_contract.customer
    customer.failure_contact_email = customer.billing_contact_email = ""
    customer.save()
    _run(D(2025, 6, 25))
    assert mailoutbox == [] and not ReturnReminder.objects.exists()  # tried again the next day
    customer.billing_contact_email = "bill@example.jp"
    customer.save()
    _run(D(2025, 6, 26))
    assert mailoutbox[0].to == ["bill@example.jp"]
    assert ReturnReminder.objects.get(unit=unit).to_email == "bill@example.jp"


def test_a_late_return_is_received_and_flagged_found(make_unit, router_contract):
    unit = _awaited(make_unit, router_contract)
    _run(D(2025, 7, 1))
    units.receive_return(unit, on=D(2025, 7, 10))
    unit.refresh_from_db()
    assert (unit.status, unit.found, unit.contract) == (S.RETURNED, True, None)


def test_the_overdue_command_refuses_a_day_it_cannot_read(english):
    with pytest.raises(CommandError, match="Not a date"):
        call_command("flag_overdue_returns", today="2025-02-30", stdout=StringIO())


def test_no_cancellation_fee_when_the_option_ends_with_its_contract(rental_option, django_capture_on_commit_callbacks):
    lifecycle.register_notice(rental_option.contract, received_on=D(2025, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(rental_option.contract, on=D(2025, 3, 31))
    rental_option.refresh_from_db()
    assert rental_option.terminated_on == D(2025, 3, 31)
    assert fees() == []


@pytest.mark.usefixtures("english")
def test_a_fee_past_the_yen_range_is_not_raised_after_the_commit_and_stops_billing(
    rental_option, django_capture_on_commit_callbacks
):
    rental_option.cancellation_fee = 999_999_999  # × 2 units is past what an amount may be
    rental_option.save()
    lifecycle.register_notice(rental_option, received_on=D(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(rental_option, on=D(2025, 3, 31))
    assert [fee.amount for fee in fees()] == [1_999_999_998]  # derived as it is, never lost
    with pytest.raises(ValidationError, match="more than one invoice line may carry"):
        bill(2025, 3)  # billing stops at it, named, instead of losing it
