"""Rows the health checks and the metrics read: jobs, queued tasks, outbox messages, failure notices."""

from datetime import timedelta
from itertools import count

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contracts.importer.job import CONTRACT_IMPORT
from jobs.models import Job, JobState
from jobs.services import run_job
from outbox.choices import Channel, MessageState
from outbox.models import Message
from sla.models import FailureNotification, Outage, OutageOrigin, OutageState
from tests import factories as f

LONG_AGO = timedelta(hours=1)
_keys = count(1)


def ago(delta: timedelta):
    return timezone.now() - delta


def job(state=JobState.QUEUED, *, silent_for: timedelta | None = None, **kw) -> Job:
    row = Job.objects.create(kind=CONTRACT_IMPORT.name, description="import", language="en", state=state, **kw)
    if silent_for is not None:
        Job.objects.filter(pk=row.pk).update(created_at=ago(silent_for), heartbeat_at=ago(silent_for))
    return row


def waiting_task(row: Job, *, waited: timedelta = timedelta(0)) -> DBTaskResult:
    """``row``'s task in the database backend's queue, waiting for a worker for ``waited``."""
    entry = DBTaskResult.objects.get(id=run_job.enqueue(row.pk).id)
    DBTaskResult.objects.filter(pk=entry.pk).update(enqueued_at=ago(waited))
    return entry


def message(*, queued_ago=timedelta(0), channel=Channel.EMAIL, state=MessageState.QUEUED, **kw) -> Message:
    to = "https://hooks.example/in" if channel == Channel.WEBHOOK else "customer@example.com"
    row = Message.objects.create(
        channel=channel,
        topic="tests.ops",
        key=f"ops-{next(_keys)}",
        to=to,
        subject="subject",
        body="body",
        state=state,
        endpoint_id=1 if channel == Channel.WEBHOOK else None,
        **kw,
    )
    Message.objects.filter(pk=row.pk).update(created_at=ago(queued_ago))
    return row


def notice(*, detected_ago: timedelta, origin=OutageOrigin.MONITORING, notified=False) -> FailureNotification:
    started = ago(detected_ago).replace(microsecond=0)
    if origin == OutageOrigin.MONITORING:
        outage = Outage.objects.create(started_at=started, cause="link down", origin=origin, state=OutageState.DRAFT)
    else:
        outage = Outage.objects.create(started_at=started, ended_at=started + timedelta(minutes=5), cause="link down")
    return FailureNotification.objects.create(
        outage=outage,
        customer=f.customer(),
        detected_at=started,
        notified_at=started + timedelta(minutes=10) if notified else None,
    )
