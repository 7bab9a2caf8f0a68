"""Jobs whose worker died are taken up again, and only those: a job waiting in the queue, or just taken by
a worker, is left alone; a dead worker's queue entry stops looking running; progress falls back to what was
committed (``jobs.services.resume_stalled`` on the database backend's queue)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contracts.importer.job import CONTRACT_IMPORT
from jobs import services
from jobs.models import Job, JobState
from jobs.services import run_job

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(settings.TASKS_BACKEND != "db", reason="reads the database backend's queue table"),
]

LONG_AGO = timedelta(hours=1)


def job(state=JobState.RUNNING, **kw) -> Job:
    row = Job.objects.create(kind=CONTRACT_IMPORT.name, description="import", language="en", state=state, **kw)
    Job.objects.filter(pk=row.pk).update(created_at=timezone.now() - LONG_AGO)
    return row


def silent(row: Job) -> Job:
    Job.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    return row


def queued_task(row: Job, *, started_ago: timedelta | None = None) -> DBTaskResult:
    """The job's task in the queue: waiting, or taken by a worker ``started_ago``."""
    entry = DBTaskResult.objects.get(id=run_job.enqueue(row.pk).id)
    if started_ago is not None:
        entry.claim("a worker")
        DBTaskResult.objects.filter(pk=entry.pk).update(started_at=timezone.now() - started_ago)
    return entry


def test_a_silent_running_job_is_queued_again_from_what_was_committed_and_its_dead_entry_fails(
    django_capture_on_commit_callbacks,
):
    """An import killed 2,600 rows into its transaction: nothing of it was committed."""
    row = silent(job(attempts=1, done=2600, total=3000, committed=0))
    dead = queued_task(row, started_ago=LONG_AGO)
    with django_capture_on_commit_callbacks() as enqueued:
        assert services.resume_stalled() == [row]
    assert len(enqueued) == 1
    row.refresh_from_db()
    assert (row.state, row.done, row.committed, row.total) == (JobState.QUEUED, 0, 0, 3000)
    assert "Attempt 1 stopped: no sign of life from its worker since" in row.error
    assert "0 of the 2,600 done were committed; the rest is done again." in row.error
    assert row.heartbeat_at > timezone.now() - timedelta(minutes=1)
    assert row.history.first().history_change_reason == "Taken up again: its worker stopped"
    dead.refresh_from_db()
    assert (dead.status, dead.exception_class_path) == ("FAILED", "jobs.queue.WorkerLost")


def test_a_job_waiting_in_the_queue_or_just_taken_by_a_worker_is_left_alone(django_capture_on_commit_callbacks):
    waiting = job(JobState.QUEUED)  # queued an hour ago, behind others
    queued_task(waiting)
    batches_waiting = silent(job())  # its batches wait behind another job's
    queued_task(batches_waiting)
    just_taken = job(JobState.QUEUED)  # a worker took its task a moment ago and is about to start it
    queued_task(just_taken, started_ago=timedelta(seconds=1))
    beating = job()
    Job.objects.filter(pk=beating.pk).update(heartbeat_at=timezone.now())
    queued_task(beating, started_ago=LONG_AGO)  # a long task, its worker alive
    with django_capture_on_commit_callbacks() as enqueued:
        assert services.resume_stalled() == []
    assert not enqueued
    assert not Job.objects.exclude(error="").exists()
    assert DBTaskResult.objects.running().count() == 2


def test_a_queued_job_whose_task_was_lost_is_queued_again(django_capture_on_commit_callbacks):
    lost = job(JobState.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled() == [lost]
    lost.refresh_from_db()
    assert (lost.state, lost.error) == (JobState.QUEUED, "Its task was no longer in the queue.")
    assert DBTaskResult.objects.ready().filter(args_kwargs__args__0=lost.pk).count() == 1
    with django_capture_on_commit_callbacks() as enqueued:
        assert services.resume_stalled(older_than=timedelta(0)) == []  # its task waits now: queued once
    assert not enqueued


def test_a_task_queued_twice_leaves_the_job_to_the_worker_on_it(staff):
    row = job(attempts=1, started_by=staff)
    Job.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now())
    services.run(row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (JobState.RUNNING, 1)
