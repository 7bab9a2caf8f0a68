"""At the same moment on PostgreSQL: the same body posted twice at once (a resend racing its first try) is kept
once with two receipts, and two HA twins worked by two workers at once make one alert; either way one outage,
one failure notice, one e-mail."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from monitoring import processing
from monitoring.models import Alert, Payload, Receipt
from sla.models import FailureNotification, Outage
from tests.workers import run_ready_tasks

from . import payloads
from .builders import ago, identified, post, source

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(*calls) -> list:
    """Run ``calls`` in threads released together; what each returned, in the order of ``calls``."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _work_off() -> None:
    """What the workers do once the posts committed: the payloads' tasks, then the e-mails they queued."""
    while run_ready_tasks():
        pass


def _counts() -> tuple[int, ...]:
    models = (Payload, Receipt, Alert, Outage, FailureNotification)
    return (*(model.objects.count() for model in models), len(mail.outbox))


def test_the_same_body_posted_twice_at_once_is_kept_once(on_postgres):
    identified(circuit_id="CX-0001")
    _source, token = source()
    body = payloads.alertmanager(payloads.alert({"circuit_id": "CX-0001"}, ago(10)))
    answers = _at_once(*[lambda: post(Client(), token, body)] * 2)
    assert [answer.status_code for answer in answers] == [202, 202], [a.content for a in answers]
    kept = [answer.json() for answer in answers]
    assert kept[0]["payload"] == kept[1]["payload"]
    assert sorted(answer["seen_before"] for answer in kept) == [False, True]
    _work_off()
    assert _counts() == (1, 2, 1, 1, 1, 1)


def test_ha_twins_worked_at_once_make_one_alert(on_postgres):
    identified(circuit_id="CX-0001")
    _source, token = source()
    alert = payloads.alert({"circuit_id": "CX-0001"}, ago(10))
    twins = [post(Client(), token, payloads.alertmanager(alert, peer=peer)).json()["payload"] for peer in ("a", "b")]
    assert twins[0] != twins[1]
    _at_once(*[lambda pk=pk: processing.process_payload.call(pk) for pk in twins])
    _work_off()  # the tasks the posts queued find it all done
    assert _counts() == (2, 2, 1, 1, 1, 1)
