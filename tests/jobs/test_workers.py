"""The task paths on real workers of the configured backend (``TASKS_BACKEND``: db, or rq on Redis).

Worker processes need committed rows: PostgreSQL, transactional tests. CI runs these on each backend
(``-m tasks``). Closing enqueues the rendering; the workers render the documents in batches, once
each, checksums verified, and a worker killed halfway leaves a job the next worker finishes.
"""

import os
import signal
import time
from datetime import date as D

import pytest
from django.conf import settings

from billing.background import BILLING_RUN
from billing.closing import close_month
from billing.models import BillingMonth, Invoice, InvoiceDocument
from billing.rendering import job_of
from jobs.heartbeat import interval as heartbeat_interval
from jobs.models import Job, JobState
from tests.billing.helpers import bill, in_service
from tests.workers import kill_worker, start_worker

pytestmark = [pytest.mark.tasks, pytest.mark.django_db(transaction=True)]

#: Seconds a worker may take for what these tests give it (a few PDFs a second on a busy machine).
PATIENCE = 180


@pytest.fixture(autouse=True)
def empty_queue(on_postgres):
    """Each test starts with an empty queue: the database backend's table is flushed with the rest;
    RQ's queue lives in Redis (a database of the tests' own, ``REDIS_URL``)."""
    if settings.TASKS_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").flushdb()


def closed_month(invoices: int) -> BillingMonth:
    for _ in range(invoices):
        in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=10_000)
    month = bill(2025, 2)
    close_month(month, issued_on=D(2025, 3, 1))
    return month


def wait_until(condition, *, worker=None, seconds=PATIENCE) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if worker is not None and worker.poll() is not None:
            raise AssertionError(f"the worker stopped: {worker.stdout.read().decode()[-3000:]}")
        assert time.monotonic() < end, "the workers did not get there in time"
        time.sleep(0.2)


def finish(worker) -> str:
    output, _ = worker.communicate(timeout=PATIENCE)
    assert worker.returncode == 0, output.decode()[-3000:]
    return output.decode()


def rendered(month: BillingMonth) -> int:
    return InvoiceDocument.objects.filter(invoice__month=month).count()


def assert_every_document_once_and_intact(month: BillingMonth) -> None:
    invoices = Invoice.objects.filter(month=month)
    documents = InvoiceDocument.objects.filter(invoice__month=month)
    assert documents.count() == invoices.count()
    assert all(document.intact() for document in documents)
    assert InvoiceDocument.history.filter(invoice__month=month).count() == invoices.count()  # each written once


def test_closing_enqueues_the_rendering_and_a_worker_renders_every_document_once():
    month = closed_month(5)
    assert not InvoiceDocument.objects.exists()  # closing rendered nothing under its lock
    job = job_of(month)
    assert (job.state, job.total) == (JobState.QUEUED, 5)
    finish(start_worker(burst=True, DOCUMENT_BATCH_SIZE="2"))
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.error) == (JobState.DONE, 5, 5, "")
    assert job.attempts == 1 and "5" in job.result
    assert_every_document_once_and_intact(month)


def test_a_worker_killed_mid_batch_beats_until_then_and_a_restarted_worker_takes_its_job_up_within_a_minute():
    """One batch of 48 invoices: its progress shows at the batch's end only, but its heartbeat moves every few
    seconds; killed midway, a worker started at once (as systemd restarts it) finds the job silent within
    the stalled limit and a third, fails the dead worker's queue entry and renders what is missing."""
    month = closed_month(48)
    worker = start_worker(DOCUMENT_SLICE_SECONDS="600")  # the batch is one task, however long it takes
    wait_until(lambda: rendered(month) >= 1, worker=worker)
    beat = job_of(month).heartbeat_at
    wait_until(lambda: job_of(month).heartbeat_at > beat, worker=worker, seconds=3 * heartbeat_interval())
    assert job_of(month).done == 0 and rendered(month) < 48  # alive though the batch has not reported yet
    kill_worker(worker)  # mid-batch
    killed_at = time.monotonic()
    assert all(document.intact() for document in InvoiceDocument.objects.all())  # nothing half-written
    job = job_of(month)
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)

    restarted = start_worker()
    try:
        wait_until(lambda: job_of(month).attempts == 2, worker=restarted, seconds=60)
        taken_up_after = time.monotonic() - killed_at
        wait_until(lambda: job_of(month).state == JobState.DONE, worker=restarted)
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        output = restarted.communicate(timeout=PATIENCE)[0].decode()
    assert f"#{job.pk} " in output  # the restarted worker queued the dead one's job again
    job.refresh_from_db()
    assert (job.done, job.committed, job.total) == (48, 48, 48)
    assert job.history.filter(state=JobState.QUEUED, attempts=1).exclude(error="").count() == 1  # why, kept
    assert_every_document_once_and_intact(month)
    assert taken_up_after < settings.JOBS_STALLED_AFTER_SECONDS * 4 / 3 + 15, taken_up_after
    if settings.TASKS_BACKEND == "db":  # the dead worker's entry no longer looks running
        from django_tasks_db.models import DBTaskResult

        assert not DBTaskResult.objects.running().exists()
        assert DBTaskResult.objects.filter(exception_class_path="jobs.queue.WorkerLost").count() == 1


def test_two_workers_share_the_batches_and_write_each_document_once():
    month = closed_month(12)
    workers = [start_worker(burst=True, DOCUMENT_BATCH_SIZE="2") for _ in range(2)]
    for worker in workers:
        finish(worker)
    wait_until(lambda: job_of(month).state == JobState.DONE, seconds=30)
    assert_every_document_once_and_intact(month)


def test_a_billing_run_job_runs_on_a_worker(staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=10_000)
    from billing.background import run_later
    from billing.run import billing_month

    month = billing_month(2025, 2)
    run_later(month, by=staff)
    finish(start_worker(burst=True))
    job = Job.objects.get(kind=BILLING_RUN.name)
    assert (job.state, job.started_by) == (JobState.DONE, staff)
    assert month.lines.count() == 1
