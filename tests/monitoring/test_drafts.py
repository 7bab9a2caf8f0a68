"""Drafts from the alerts, as staff decide them: nothing is earned while draft; confirming computes the credits;
adjusting needs a reason and keeps the machine's times beside the person's; excluding earns nothing; a claim
waits for the confirmation. The admin's actions do the same for sales and are refused to billing, and a credit's
page shows the alerts and notices it rests on."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from monitoring import processing
from monitoring.models import Alert
from sla.models import Claim, Credit, ExclusionReason, Outage, OutageState
from sla.services import claims, drafts
from tests.admin.conftest import messages_of, run_action
from tests.sla.builders import FEE

from . import payloads
from .builders import ago, delivered, identified, source

pytestmark = pytest.mark.django_db

TWO_HOURS = timedelta(hours=2)
LATE_NOTICE = AVAILABILITY = FEE // 30  # 1/30: a notice over 30 minutes late; an outage of over 1 hour up to 12


@pytest.fixture
def draft(client, worked_off):
    """An ended draft of 2 hours that started 150 minutes ago (its resolve came first): its notice went late."""
    identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(150)
    alert = payloads.alert({"circuit_id": "CX-0001"}, start, start + TWO_HOURS)
    delivered(client, worked_off, token, payloads.alertmanager(alert))
    return Outage.objects.get()


def _credits(outage) -> tuple[int, int]:
    row = outage.affected.get()
    return row.availability_credit, row.notification_credit


def test_a_draft_earns_nothing_until_it_is_confirmed(draft, staff):
    assert draft.state == OutageState.DRAFT and not draft.earns_credits
    assert draft.notifications.get().is_late  # the fact is recorded; the credit waits
    assert _credits(draft) == (0, 0)
    confirmed = drafts.confirm(draft, by=staff)
    assert (confirmed.state, confirmed.confirmed_by, confirmed.confirmed_at is not None) == (
        OutageState.CONFIRMED,
        staff,
        True,
    )
    assert _credits(draft) == (AVAILABILITY, LATE_NOTICE)


def test_an_outage_going_on_is_not_confirmed(client, worked_off, staff, english):
    identified(circuit_id="CX-0001")
    _source, token = source()
    delivered(client, worked_off, token, payloads.alertmanager(payloads.alert({"circuit_id": "CX-0001"}, ago(10))))
    with pytest.raises(ValidationError, match="goes on"):
        drafts.confirm(Outage.objects.get(), by=staff)


def test_adjusting_needs_a_reason_and_keeps_the_alerts_times(draft, staff, english):
    machine = (draft.detected_started_at, draft.detected_ended_at)
    start = draft.started_at + timedelta(minutes=75)  # 45 minutes left: over 30, up to 60
    with pytest.raises(ValidationError) as refused:
        drafts.adjust(draft, started_at=start, ended_at=draft.ended_at, reason="  ", by=staff)
    assert "reason" in refused.value.message_dict
    row = drafts.adjust(draft, started_at=start, ended_at=draft.ended_at, reason="The link came back at once", by=staff)
    assert (row.started_at, row.adjustment_reason) == (start, "The link came back at once")
    assert (row.detected_started_at, row.detected_ended_at) == machine
    first, last = draft.history.order_by("history_id").first(), draft.history.order_by("history_id").last()
    assert (first.started_at, first.detected_started_at) == (machine[0], machine[0])  # the machine's
    assert (last.started_at, last.detected_started_at) == (start, machine[0])  # the person's, beside it
    assert "The link came back at once" in last.history_change_reason and last.history_user == staff
    assert _credits(draft) == (0, 0)  # still a draft
    drafts.confirm(draft, by=staff)
    assert _credits(draft) == (FEE // 90, LATE_NOTICE)  # the person's times count


def test_the_alerts_no_longer_move_an_adjusted_draft(client, worked_off, staff):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(150)
    delivered(client, worked_off, token, payloads.alertmanager(payloads.alert({"circuit_id": "CX-0001"}, start)))
    first = payloads.alert({"circuit_id": "CX-0001"}, start, start + TWO_HOURS)
    delivered(client, worked_off, token, payloads.alertmanager(first))
    outage = drafts.adjust(
        Outage.objects.get(), started_at=start, ended_at=start + timedelta(hours=1), reason="seen on site", by=staff
    )
    later = start + timedelta(hours=2, minutes=5)
    other = payloads.alert({"circuit_id": "CX-0001", "alertname": "BGPDown"}, start, later)
    delivered(client, worked_off, token, payloads.alertmanager(other))
    outage.refresh_from_db()
    assert outage.ended_at == start + timedelta(hours=1)
    assert outage.detected_ended_at == later


def test_excluding_confirms_without_credit_and_says_why(draft, staff, english):
    with pytest.raises(ValidationError):
        drafts.exclude(draft, reason=ExclusionReason.NOT_OUR_FAULT, note=" ", by=staff)
    row = drafts.exclude(draft, reason=ExclusionReason.NOT_OUR_FAULT, note="Carrier's fibre cut", by=staff)
    assert (row.state, row.excluded, row.exclusion_reason, row.exclusion_note) == (
        OutageState.CONFIRMED,
        True,
        ExclusionReason.NOT_OUR_FAULT,
        "Carrier's fibre cut",
    )
    assert _credits(draft) == (0, 0)
    assert "CXM2 art. 8" in draft.history.first().history_change_reason


def test_a_claim_on_a_draft_is_not_decided(draft, staff, english):
    claim = Claim.objects.create(affected=draft.affected.get(), claimed_on=timezone.localdate())
    with pytest.raises(ValidationError, match="draft from the monitoring's alerts: confirm it") as refused:
        claims.decide(claim, on=timezone.localdate(), by=staff)
    assert "CXM2 art. 8" in str(refused.value)
    assert not Credit.objects.exists()
    drafts.confirm(draft, by=staff)
    credit = claims.decide(claim, on=timezone.localdate(), by=staff)
    assert (credit.availability_amount, credit.notification_amount) == (AVAILABILITY, LATE_NOTICE)


# The admin's actions


def test_sales_confirms_drafts_in_the_admin(draft, login_as_role):
    sales = login_as_role("sales")
    response = run_action(sales, Outage, "confirm", [draft])
    assert response.status_code == 302, messages_of(response)
    draft.refresh_from_db()
    assert (draft.state, draft.confirmed_by.username) == (OutageState.CONFIRMED, "sales-staff")
    assert _credits(draft) == (AVAILABILITY, LATE_NOTICE)


def test_sales_adjusts_a_draft_in_the_admin_with_a_reason(draft, login_as_role):
    sales = login_as_role("sales")
    start = timezone.localtime(draft.started_at) + timedelta(minutes=30)
    end = timezone.localtime(draft.ended_at)
    times = {
        "started_at_0": start.date().isoformat(),
        "started_at_1": start.strftime("%H:%M:%S"),
        "ended_at_0": end.date().isoformat(),
        "ended_at_1": end.strftime("%H:%M:%S"),
    }
    without = run_action(sales, Outage, "adjust", [draft], **times, reason="")
    assert without.status_code == 200 and without.context["form"].errors["reason"]
    response = run_action(sales, Outage, "adjust", [draft], **times, reason="The router was up: a false alarm")
    assert response.status_code == 302, messages_of(response)
    draft.refresh_from_db()
    assert (draft.state, draft.started_at, draft.adjustment_reason) == (
        OutageState.DRAFT,
        start,
        "The router was up: a false alarm",
    )
    assert draft.detected_started_at == start - timedelta(minutes=30)


def test_sales_excludes_a_draft_in_the_admin(draft, login_as_role):
    sales = login_as_role("sales")
    fields = {"reason": ExclusionReason.NOT_OUR_FAULT, "note": "Power cut at the carrier's site"}
    response = run_action(sales, Outage, "exclude", [draft], **fields)
    assert response.status_code == 302, messages_of(response)
    draft.refresh_from_db()
    assert (draft.state, draft.excluded, draft.exclusion_note) == (
        OutageState.CONFIRMED,
        True,
        "Power cut at the carrier's site",
    )


@pytest.mark.parametrize("action", ["confirm", "adjust", "exclude"])
def test_billing_may_not_decide_drafts(draft, login_as_role, action):
    billing = login_as_role("billing")
    changelist = billing.get(reverse("admin:sla_outage_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None  # no action is offered to billing
    data = {"action": action, "_selected_action": [draft.pk], "_step": "confirm", "reason": "x", "note": "x"}
    billing.post(reverse("admin:sla_outage_changelist"), data)
    draft.refresh_from_db()
    assert (draft.state, draft.excluded, draft.adjustment_reason) == (OutageState.DRAFT, False, "")


def test_a_credits_page_shows_the_alerts_and_notices_it_rests_on(draft, staff, login_as_role):
    drafts.confirm(draft, by=staff)
    claim = Claim.objects.create(affected=draft.affected.get(), claimed_on=date.today())
    credit = claims.decide(claim, on=timezone.localdate(), by=staff)
    page = login_as_role("billing").get(reverse("admin:sla_credit_change", args=[credit.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "What it rests on" in html
    alert = Alert.objects.get()
    assert reverse("admin:monitoring_alert_change", args=[alert.pk]) in html
    assert "Alert LinkDown from alertmanager-1" in html
    assert "Failure notice: detected" in html
    assert reverse("admin:outbox_message_change", args=[draft.notifications.get().message_id]) in html


def test_mapping_again_is_refused_to_billing(client, worked_off, login_as_role):
    _source, token = source()
    delivered(client, worked_off, token, payloads.alertmanager(payloads.alert({"circuit_id": "CX-0404"}, ago(5))))
    identified(circuit_id="CX-0404")
    billing = login_as_role("billing")
    data = {"action": "map", "_selected_action": [Alert.objects.get().pk], "_step": "confirm"}
    billing.post(reverse("admin:monitoring_alert_changelist"), data)
    assert not Outage.objects.exists()
    assert processing.map_again(Alert.objects.get(), by=None) is not None  # staff who may, can
