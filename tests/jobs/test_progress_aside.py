"""Progress from inside the work's own transaction shows before it commits (``jobs.aside``, PostgreSQL).

The job's row is committed before the work starts, as a worker runs it; another connection (the admin's
jobs page, a worker starting) must see the progress and the heartbeat while the work's transaction is
still open, and the work must never wait on the job's row for it.
"""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from billing.background import BILLING_RUN
from contracts.importer import runner
from contracts.importer.job import CONTRACT_IMPORT
from contracts.models import Contract
from jobs import aside, heartbeat
from jobs import services as jobs
from jobs.models import Job, JobState
from jobs.uploads import start_with_file

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "contracts.csv"


@pytest.fixture
def job(on_postgres):
    return Job.objects.create(kind=BILLING_RUN.name, description="test", state=JobState.RUNNING, total=10)


def seen_elsewhere(job_id: int) -> tuple:
    """The job's progress as another connection reads it (committed rows only)."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT done, total, heartbeat_at FROM jobs_job WHERE id = %s", [job_id])
            return cursor.fetchone()
    finally:
        other.close()


def test_progress_inside_a_transaction_shows_before_the_commit_and_is_not_committed(job):
    with transaction.atomic():
        jobs.advance(job.pk, 3, 10)
        done, total, heartbeat = seen_elsewhere(job.pk)
        assert (done, total) == (3, 10) and heartbeat is not None
    assert Job.objects.get(pk=job.pk).committed == 0  # a crash would have rolled the three back
    jobs.advance(job.pk, 4)  # outside a transaction: each step is committed as it is done
    assert Job.objects.get(pk=job.pk).committed == 4


def test_a_worker_beats_for_its_job_while_the_work_holds_its_transaction(job, settings, monkeypatch):
    """No progress for a while (a batch, a long statement): the heartbeat moves all the same."""
    settings.JOBS_STALLED_AFTER_SECONDS = 3  # a beat every half second
    monkeypatch.setattr(heartbeat, "_enabled", True)
    with heartbeat.beating(job.pk), transaction.atomic():
        jobs.advance(job.pk, 1)
        first = seen_elsewhere(job.pk)[2]
        time.sleep(4 * heartbeat.interval())
        done, _total, last = seen_elsewhere(job.pk)
    assert done == 1 and last - first >= timedelta(seconds=heartbeat.interval())


def test_at_most_once_a_second_aside(job, monkeypatch):
    monkeypatch.setattr(aside, "INTERVAL", 3600)  # however slow the machine, the second call comes within it
    with transaction.atomic():
        jobs.advance(job.pk, 3)
        jobs.advance(job.pk, 4)
        assert seen_elsewhere(job.pk)[0] == 3
        monkeypatch.setattr(aside, "INTERVAL", 0)
        jobs.advance(job.pk, 5)
        assert seen_elsewhere(job.pk)[0] == 5


def test_a_row_the_work_holds_is_written_in_its_transaction_without_waiting(job):
    with transaction.atomic():
        Job.objects.select_for_update().get(pk=job.pk)
        jobs.advance(job.pk, 7)
        assert Job.objects.get(pk=job.pk).done == 7
        assert seen_elsewhere(job.pk)[0] == 0
    assert seen_elsewhere(job.pk)[0] == 7


def test_a_job_not_yet_committed_is_written_in_the_transaction(on_postgres):
    with transaction.atomic():
        job = Job.objects.create(kind=BILLING_RUN.name, description="test", total=10)
        jobs.advance(job.pk, 2)
        assert Job.objects.get(pk=job.pk).done == 2


def test_a_long_import_shows_its_progress_and_is_not_taken_for_stalled(staff, monkeypatch, on_postgres):
    """Midway through the import's transaction the job's page reads rows done and a fresh heartbeat, so a
    worker starting then leaves the job to the worker doing it."""
    job = start_with_file(
        CONTRACT_IMPORT,
        EXAMPLE.name,
        EXAMPLE.read_bytes(),
        by=staff,
        description="import",
        arguments={"partial": False, "dry_run": False},
    )
    monkeypatch.setattr(runner, "PROGRESS_STEPS", 5)
    monkeypatch.setattr(aside, "INTERVAL", 0)
    seen, perform = [], runner.perform

    def perform_and_look(ctx, step):
        perform(ctx, step)
        if not seen and sum(ctx.done.values()) >= 40:
            done, total, heartbeat = seen_elsewhere(job.pk)
            started = Job.objects.get(pk=job.pk).started_at
            # Stalled is "no sign of life since a moment between the start and the last progress".
            resumed = jobs.resume_stalled(older_than=timezone.now() - (started + (heartbeat - started) / 2))
            seen.extend([done, total, heartbeat > started, resumed])

    monkeypatch.setattr(runner, "perform", perform_and_look)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))

    jobs.run(job.pk)

    done, total, heartbeat_moved, resumed = seen
    assert 0 < done < total and heartbeat_moved
    assert resumed == []
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, total, total) and Contract.objects.exists()
