"""From the alerts to draft outages and failure notices: an alert is recorded once (HA twins, resends, a task run
twice), a resolve closes what it opened (even when it comes first), flaps and an incident's several alerts make
one outage, labels pick the live contracts they name, and what names none waits for staff."""

import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from contracts.choices import TerminationReason
from contracts.services import lifecycle
from monitoring import processing
from monitoring.choices import AlertStatus, Mapping, SourceKind
from monitoring.models import Alert, NetworkIdentifier, Payload, Receipt
from monitoring.worklists import WORKLISTS
from outbox import sending
from outbox.choices import Channel, MessageState
from outbox.models import Message
from sla.models import FailureNotification, Outage, OutageState
from sla.services import drafts
from tests.admin.conftest import messages_of, run_action
from tests.sla import builders as sla

from . import payloads
from .builders import ago, delivered, identified, source

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
FAILURE = "【障害のお知らせ】"
UNMAPPED_ALERTS, TRUNCATED_PAYLOADS = WORKLISTS[1], WORKLISTS[2]


def _cx(start, end=None, circuit="CX-0001", **labels) -> dict:
    return payloads.alert({"circuit_id": circuit, **labels}, start, end)


def _group(*alerts, **kw) -> bytes:
    return payloads.alertmanager(*alerts, **kw)


def _kinds() -> list[str]:
    """The e-mails sent, by kind, in the order they went."""
    return ["failure" if m.subject.startswith(FAILURE) else "resolution" for m in mail.outbox]


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Payload, Receipt, Alert, Outage, FailureNotification)) + (
        len(mail.outbox),
    )


def test_firing_then_resolved_is_one_outage_closed_at_its_end_and_both_notices_go(client, worked_off):
    contract = identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(90)
    firing = payloads.alert({"circuit_id": "CX-0001"}, start, nanos=987654321)
    delivered(client, worked_off, token, _group(firing))
    outage = Outage.objects.get()
    assert (outage.state, outage.ended_at, outage.started_at) == (OutageState.DRAFT, None, start)
    assert list(outage.contracts.all()) == [contract]
    assert Alert.objects.get().starts_at == start + timedelta(microseconds=987654)  # the alert keeps its fraction

    end = start + timedelta(minutes=47, seconds=12)
    resolved = {**firing, "status": "resolved", "endsAt": payloads.rfc3339(end)}
    second = delivered(client, worked_off, token, _group(resolved))
    outage.refresh_from_db()
    alert = Alert.objects.get()
    assert (alert.status, alert.ends_at, alert.resolved_payload_id) == (AlertStatus.RESOLVED, end, second["payload"])
    assert (Outage.objects.count(), outage.ended_at, outage.detected_ended_at) == (1, end, end)
    assert outage.state == OutageState.DRAFT  # closed, still to confirm
    assert _kinds() == ["failure", "resolution"] and mail.outbox[1].to == ["noc@example.jp"]
    notice = FailureNotification.objects.get()
    assert notice.resolution.state == MessageState.SENT
    assert not Message.objects.filter(channel=Channel.WEBHOOK).exists()  # no subscription, no webhook: none needed


def test_ha_twins_of_one_group_are_two_payloads_and_one_alert(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(30)
    alert = _cx(start)
    first = delivered(client, worked_off, token, _group(alert, peer="am-1"))
    twin = delivered(client, worked_off, token, _group(alert, peer="am-2"))
    assert first["payload"] != twin["payload"] and not twin["seen_before"]
    assert _counts() == (2, 2, 1, 1, 1, 1)
    resolved = _cx(start, start + 25 * MINUTE)
    delivered(client, worked_off, token, _group(resolved, peer="am-1"))
    delivered(client, worked_off, token, _group(resolved, peer="am-2"))
    assert _counts() == (4, 4, 1, 1, 1, 2)
    assert _kinds() == ["failure", "resolution"]


def test_a_resend_of_the_same_body_adds_a_receipt_and_works_nothing_again(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    body = _group(_cx(ago(30)))
    first = delivered(client, worked_off, token, body)
    versions = Alert.objects.get().history.count()
    again = delivered(client, worked_off, token, body)
    assert (again["payload"], again["seen_before"]) == (first["payload"], True)
    assert again["receipt"] != first["receipt"]
    assert _counts() == (1, 2, 1, 1, 1, 1)
    assert Alert.objects.get().history.count() == versions


def test_the_task_run_twice_changes_nothing(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    answer = delivered(client, worked_off, token, _group(_cx(ago(30))))
    before = _counts()
    with worked_off():
        processing.process_payload.call(answer["payload"])
    assert _counts() == before


def test_a_resolve_that_comes_first_records_a_closed_outage_and_both_notices(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start, end = ago(120), ago(80)
    delivered(client, worked_off, token, _group(_cx(start, end)))
    outage = Outage.objects.get()
    assert (outage.started_at, outage.ended_at, outage.state) == (start, end, OutageState.DRAFT)
    assert Alert.objects.get().status == AlertStatus.RESOLVED
    assert _kinds() == ["failure", "resolution"]
    delivered(client, worked_off, token, _group(_cx(start)))  # its firing, late
    outage.refresh_from_db()
    assert (outage.ended_at, Alert.objects.get().ends_at) == (end, end)
    assert _counts()[2:] == (1, 1, 1, 2)


def _flap(client, worked_off, token, gap: timedelta) -> tuple:
    """Fires, resolves 20 minutes later, fires again ``gap`` after the resolve, resolves 15 minutes later."""
    start = ago(180)
    resolved = start + 20 * MINUTE
    again = resolved + gap
    delivered(client, worked_off, token, _group(_cx(start)))
    delivered(client, worked_off, token, _group(_cx(start, resolved)))
    delivered(client, worked_off, token, _group(_cx(again)))
    going_on = list(Outage.objects.filter(ended_at__isnull=True))
    delivered(client, worked_off, token, _group(_cx(again, again + 15 * MINUTE)))
    return start, again + 15 * MINUTE, going_on


def test_a_flap_reopens_the_outage_and_closes_it_again(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start, end, going_on = _flap(client, worked_off, token, 2 * MINUTE)
    outage = Outage.objects.get()
    assert going_on == [outage]  # reopened by the second firing
    assert (outage.started_at, outage.ended_at, outage.alerts.count()) == (start, end, 2)
    reasons = [row.history_change_reason for row in outage.history.order_by("history_id")]
    assert reasons.count("Closed: the alerts resolved") == 2
    assert _kinds() == ["failure", "resolution", "resolution"]  # told again that it is over
    assert FailureNotification.objects.count() == 1


def test_a_firing_well_after_the_resolve_is_a_second_outage(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    _flap(client, worked_off, token, 10 * MINUTE)
    assert Outage.objects.count() == 2 and not Outage.objects.filter(ended_at__isnull=True).exists()
    assert _kinds() == ["failure", "resolution", "failure", "resolution"]


@override_settings(MONITORING_FLAP_SECONDS=60)
def test_the_flap_window_is_the_setting(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    _flap(client, worked_off, token, 2 * MINUTE)
    assert Outage.objects.count() == 2


def test_a_fingerprint_starting_again_without_a_resolve_ends_the_alert_before(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start, restart = ago(120), ago(60)
    delivered(client, worked_off, token, _group(_cx(start)))
    delivered(client, worked_off, token, _group(_cx(restart)))
    before, after = Alert.objects.order_by("starts_at")
    assert (before.key, before.status, before.ends_at, before.resolved_payload) == (
        after.key,
        AlertStatus.RESOLVED,
        restart,
        None,
    )
    assert (after.status, after.ends_at) == (AlertStatus.FIRING, None)
    outage = Outage.objects.get()
    assert (outage.started_at, outage.ended_at, outage.alerts.count()) == (start, None, 2)
    assert _kinds() == ["failure"]  # the failure goes on: nobody is told it is over


def test_a_restarted_fingerprint_that_names_no_contract_any_more_closes_the_outage_before(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start, restart = ago(120), ago(60)
    delivered(client, worked_off, token, _group(_cx(start)))
    NetworkIdentifier.objects.all().delete()  # staff found the circuit id was wrong
    delivered(client, worked_off, token, _group(_cx(restart)))
    outage = Outage.objects.get()
    assert (outage.ended_at, outage.alerts.count()) == (restart, 1)
    assert Alert.objects.get(starts_at=restart).mapping == Mapping.UNMAPPED
    assert _kinds() == ["failure", "resolution"]


def test_an_older_firing_arriving_after_a_newer_one_is_recorded_ended(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    older, newer = ago(120), ago(60)
    delivered(client, worked_off, token, _group(_cx(newer)))
    delivered(client, worked_off, token, _group(_cx(older)))
    late = Alert.objects.get(starts_at=older)
    assert (late.status, late.ends_at) == (AlertStatus.RESOLVED, newer)
    assert Alert.objects.get(starts_at=newer).ends_at is None
    assert Outage.objects.get().started_at == older and Outage.objects.get().ended_at is None


def test_a_group_that_left_alerts_out_is_flagged(client, worked_off, login_as_role):
    identified(circuit_id="CX-0001")
    _source, token = source()
    answer = delivered(client, worked_off, token, _group(_cx(ago(10)), truncated=3))
    assert Payload.objects.get(pk=answer["payload"]).truncated_alerts == 3
    assert TRUNCATED_PAYLOADS.count() == 1
    page = login_as_role("sales").get("/admin/monitoring/dashboard/")
    assert page.context["truncated"] == 1
    assert "1 payload of the last 7 days left alerts out (truncatedAlerts)" in page.content.decode()


def test_an_alert_naming_no_contract_waits_until_staff_record_it_and_map_it_again(client, worked_off, login_as_role):
    _source, token = source()
    delivered(client, worked_off, token, _group(_cx(ago(15), circuit="CX-0404")))
    alert = Alert.objects.get()
    assert (alert.mapping, alert.outage) == (Mapping.UNMAPPED, None)
    assert (Outage.objects.count(), len(mail.outbox), UNMAPPED_ALERTS.count()) == (0, 0, 1)
    staff = login_as_role("sales")
    with worked_off():
        still = run_action(staff, Alert, "map", [alert])
    assert "still maps to no contract" in " ".join(messages_of(still))
    contract = identified(circuit_id="CX-0404")
    with worked_off():
        response = run_action(staff, Alert, "map", [alert])
    assert response.status_code == 302, messages_of(response)
    alert.refresh_from_db()
    assert alert.mapping == Mapping.MAPPED and list(alert.outage.contracts.all()) == [contract]
    assert alert.history.first().history_user.username == "sales-staff"
    assert (UNMAPPED_ALERTS.count(), _kinds()) == (0, ["failure"])
    with worked_off():
        assert processing.map_again(alert, by=None) == alert.outage  # once mapped, mapping again changes nothing
    assert (Outage.objects.count(), len(mail.outbox)) == (1, 1)


def test_a_device_alone_hits_every_contract_on_it(client, worked_off):
    first = identified(device="tokyo-core-1", port="xe-0/0/1")
    second = identified(device="tokyo-core-1", port="xe-0/0/2")
    identified(device="osaka-core-1", port="xe-0/0/1")
    _source, token = source()
    delivered(client, worked_off, token, _group(payloads.alert({"device": "tokyo-core-1"}, ago(10))))
    outage = Outage.objects.get()
    assert set(outage.contracts.all()) == {first, second}
    assert FailureNotification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_device_with_a_port_hits_only_that_ports_contract(client, worked_off):
    identified(device="tokyo-core-1", port="xe-0/0/1")
    second = identified(device="tokyo-core-1", port="xe-0/0/2")
    _source, token = source()
    labels = {"device": "tokyo-core-1", "port": "xe-0/0/2"}
    delivered(client, worked_off, token, _group(payloads.alert(labels, ago(10))))
    assert list(Outage.objects.get().contracts.all()) == [second]
    assert len(mail.outbox) == 1


def test_two_alerts_on_one_contract_at_once_are_one_outage(client, worked_off):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(90)
    link, bgp = _cx(start), _cx(start + MINUTE, alertname="BGPDown")
    assert link["fingerprint"] != bgp["fingerprint"]
    delivered(client, worked_off, token, _group(link))
    delivered(client, worked_off, token, _group(bgp))
    outage = Outage.objects.get()
    assert outage.alerts.count() == 2 and FailureNotification.objects.count() == 1
    delivered(client, worked_off, token, _group(_cx(start, start + 30 * MINUTE)))
    outage.refresh_from_db()
    assert outage.ended_at is None  # the other alert still fires
    delivered(client, worked_off, token, _group(_cx(start + MINUTE, start + 50 * MINUTE, alertname="BGPDown")))
    outage.refresh_from_db()
    assert (outage.started_at, outage.ended_at) == (start, start + 50 * MINUTE)
    assert _kinds() == ["failure", "resolution"]


def test_a_zabbix_problem_then_its_recovery(client, worked_off):
    contract = identified(device="tokyo-core-1", port="xe-0/0/1")
    identified(device="tokyo-core-1", port="xe-0/0/2")
    _source, token = source(SourceKind.ZABBIX)
    problem = ago(60)
    tags = [("port", "xe-0/0/1")]
    problem_body = payloads.zabbix(4711, problem, host="tokyo-core-1", tags=tags)
    delivered(client, worked_off, token, problem_body, SourceKind.ZABBIX)
    outage = Outage.objects.get()
    assert (list(outage.contracts.all()), outage.ended_at) == ([contract], None)
    recovery = payloads.zabbix(4711, problem, problem + 25 * MINUTE, host="tokyo-core-1", tags=tags)
    delivered(client, worked_off, token, recovery, SourceKind.ZABBIX)
    outage.refresh_from_db()
    assert (Alert.objects.get().key, outage.ended_at) == ("4711", problem + 25 * MINUTE)
    assert _kinds() == ["failure", "resolution"]


def test_an_ended_contract_is_not_hit(client, worked_off):
    ended = identified(device="tokyo-core-1", port="xe-0/0/1")
    live = identified(device="tokyo-core-1", port="xe-0/0/2")
    lifecycle.terminate(ended, on=date(2025, 2, 1), reason=TerminationReason.GT_ART28_2)
    _source, token = source()
    delivered(client, worked_off, token, _group(payloads.alert({"device": "tokyo-core-1"}, ago(10))))
    assert list(Outage.objects.get().contracts.all()) == [live]
    port = {"device": "tokyo-core-1", "port": "xe-0/0/1"}
    delivered(client, worked_off, token, _group(payloads.alert(port, ago(5), summary="port down")))
    assert Alert.objects.get(labels__port="xe-0/0/1").mapping == Mapping.UNMAPPED
    assert FailureNotification.objects.filter(contract=ended).count() == 0


def test_a_customer_without_a_failure_contact_e_mail_gets_a_notification_to_give_by_hand(client, worked_off):
    contract = identified(circuit_id="CX-0001", email="")
    _source, token = source()
    start = ago(10)
    delivered(client, worked_off, token, _group(_cx(start)))
    notice = FailureNotification.objects.get()
    assert (notice.contract, notice.message, notice.notified_at) == (contract, None, None)
    assert notice.history.first().history_change_reason == "No e-mail address"
    assert mail.outbox == []
    delivered(client, worked_off, token, _group(_cx(start, start + 8 * MINUTE)))
    assert mail.outbox == [] and FailureNotification.objects.get().resolution is None


# The failure notices: given when the outbox sent them, in Japanese.


def _refuse_smtp(row):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_notice_is_given_when_its_e_mail_went_not_when_it_was_queued(client, worked_off, monkeypatch, staff):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(25)
    with monkeypatch.context() as smtp_down:
        smtp_down.setattr(sending, "_send_email", _refuse_smtp)
        delivered(client, worked_off, token, _group(_cx(start)))
    notice = FailureNotification.objects.get()
    message = notice.message
    assert (message.state, message.attempts, notice.notified_at) == (MessageState.FAILED, 1, None)
    assert message.created_at - notice.detected_at <= timedelta(minutes=30)  # queued in time, but not given
    assert mail.outbox == []

    retried = timezone.now() + 10 * MINUTE  # the outbox's next try, past the retry delay
    with monkeypatch.context() as later:
        later.setattr(timezone, "now", lambda: retried)
        [sent] = sending.send_due()
    assert (sent.pk, sent.state, sent.sent_at) == (message.pk, MessageState.SENT, retried)
    notice.refresh_from_db()
    assert notice.notified_at == retried.replace(microsecond=0)
    assert notice.notified_at - notice.detected_at > timedelta(minutes=30) and notice.is_late
    assert len(mail.outbox) == 1

    delivered(client, worked_off, token, _group(_cx(start, start + 20 * MINUTE)))
    outage = Outage.objects.get()
    assert outage.affected.get().notification_credit == 0  # a draft earns nothing yet
    drafts.confirm(outage, by=staff)
    affected = outage.affected.get()
    assert (affected.availability_credit, affected.notification_credit) == (0, sla.FEE // 30)


def test_a_notice_sent_within_30_minutes_earns_nothing(client, worked_off, staff):
    identified(circuit_id="CX-0001")
    _source, token = source()
    start = ago(5)
    delivered(client, worked_off, token, _group(_cx(start)))
    notice = FailureNotification.objects.get()
    assert notice.notified_at == notice.message.sent_at.replace(microsecond=0) and not notice.is_late
    delivered(client, worked_off, token, _group(_cx(start, start + 3 * MINUTE)))
    outage = drafts.confirm(Outage.objects.get(), by=staff)
    assert outage.affected.get().credit_before_cap == 0


def test_the_notices_are_japanese_and_name_the_contract_the_start_and_the_reference(client, worked_off):
    contract = identified(circuit_id="CX-0001")
    _source, token = source()
    start = sla.at(2026, 11, 3, 9, 5, 7)
    delivered(client, worked_off, token, _group(_cx(start)))
    delivered(client, worked_off, token, _group(_cx(start, sla.at(2026, 11, 3, 11, 0, 0))))
    reference = f"OUT-{Outage.objects.get().pk:06d}"
    failure, resolution = mail.outbox
    assert failure.subject == f"【障害のお知らせ】{contract.number}（{reference}）"
    assert resolution.subject == f"【復旧のお知らせ】{contract.number}（{reference}）"
    for body in (failure.body, resolution.body):
        assert f"契約番号：{contract.number}" in body
        assert "検知時刻：2026年11月3日 09:05:07（日本時間）" in body
        assert f"参照番号：{reference}" in body
        assert "障害 太郎 様" in body
    assert "復旧時刻：2026年11月3日 11:00:00（日本時間）" in resolution.body
