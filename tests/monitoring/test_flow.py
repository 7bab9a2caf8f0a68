"""An alert's way from the endpoint to the outage, the failure notice sent and the credit."""

from datetime import timedelta

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from monitoring.models import Alert, Payload, Receipt
from monitoring.processing import process_payload
from sla.models import FailureNotification, Outage, OutageState
from tests.sla import builders as sla

from . import payloads
from .builders import identified, post, source

pytestmark = pytest.mark.django_db


def test_a_firing_alert_opens_a_draft_and_its_notice_goes_at_once(client, worked_off):
    contract = identified(circuit_id="CX-0001")
    _source, token = source()
    start = sla.at(2026, 12, 7, 10, 0)
    with worked_off():
        response = post(client, token, payloads.alertmanager(payloads.alert({"circuit_id": "CX-0001"}, start)))
    assert response.status_code == 202, response.content
    outage = Outage.objects.get()
    assert outage.state == OutageState.DRAFT and outage.ended_at is None and outage.started_at == start
    notice = FailureNotification.objects.get()
    assert notice.contract == contract and notice.notified_at is not None
    assert notice.notified_at == notice.message.sent_at.replace(microsecond=0)
    assert len(mail.outbox) == 1 and contract.number in mail.outbox[0].subject
    assert Alert.objects.count() == 1 and Payload.objects.count() == 1 and Receipt.objects.count() == 1
    with worked_off():
        resolved = payloads.alert({"circuit_id": "CX-0001"}, start, start + timedelta(hours=2))
        post(client, token, payloads.alertmanager(resolved))
    outage.refresh_from_db()
    assert outage.ended_at == start + timedelta(hours=2)
    assert len(mail.outbox) == 2


def test_a_failure_notice_goes_before_the_queue_s_other_work(client, django_capture_on_commit_callbacks):
    """The database backend orders by priority: a notice's sending is taken before the payloads queued earlier."""
    identified(circuit_id="CX-0002")
    _source, token = source()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, token, payloads.alertmanager(payloads.alert({"circuit_id": "CX-0002"}, sla.at(2026, 12, 7, 10))))
    payload_task = DBTaskResult.objects.get(task_path="monitoring.processing.process_payload")
    with django_capture_on_commit_callbacks(execute=True):
        process_payload.call(payload_task.args_kwargs["args"][0])
    sending = DBTaskResult.objects.get(task_path="outbox.sending.send_message")
    assert (sending.priority, payload_task.priority) == (50, 0)
