"""The documents' place in the queue (database backend): work staff start after a month is closed, such as a contract
import, is taken before the documents still waiting, and a task renders for a slice of time, then queues the rest
of its batch behind what came meanwhile (``billing.rendering``)."""

from datetime import date as D

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from billing import rendering
from billing.closing import close_month
from billing.models import InvoiceDocument
from billing.rendering import job_of, render_batch
from contracts.importer.job import import_later
from jobs.models import JobState
from jobs.services import run_job
from tests.billing.helpers import bill, in_service
from tests.workers import claim, next_task, run_ready_tasks, run_task

pytestmark = pytest.mark.django_db

EXAMPLE = settings.BASE_DIR / "docs" / "examples" / "contracts.csv"


@pytest.fixture
def closed(django_capture_on_commit_callbacks):
    """A month of three invoices closed (as the demo's months are), its job planned: its batch waits in the queue."""
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=10_000)
        month = bill(2025, 2)
        close_month(month, issued_on=D(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run_task(claim(next_task()))  # the job's plan: one task per batch
    batch = next_task()
    assert batch.task_path == render_batch.module_path and batch.priority == rendering.PRIORITY
    return month


def queue_import(staff, capture):
    with capture(execute=True):
        upload = SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())
        return import_later(upload, by=staff, partial=False, dry_run=True)


def test_an_import_queued_after_the_documents_is_taken_before_them(closed, staff, django_capture_on_commit_callbacks):
    job = queue_import(staff, django_capture_on_commit_callbacks)
    taken = next_task()
    assert (taken.task_path, taken.args_kwargs["args"]) == (run_job.module_path, [job.pk])
    run_task(claim(taken))
    job.refresh_from_db()
    assert job.state == JobState.DONE and not InvoiceDocument.objects.exists()  # before any document
    run_ready_tasks()
    assert InvoiceDocument.objects.filter(invoice__month=closed).count() == 3


def test_a_batch_renders_for_its_slice_then_its_rest_waits_behind_an_import_queued_meanwhile(
    closed, staff, django_capture_on_commit_callbacks, settings
):
    settings.DOCUMENT_SLICE_SECONDS = 0  # one document a task, however fast the machine
    batch = claim(next_task())  # a worker renders the month's batch…
    job = queue_import(staff, django_capture_on_commit_callbacks)  # …when staff start an import
    run_task(batch)
    assert InvoiceDocument.objects.count() == 1
    rendering_job = job_of(closed)
    assert (rendering_job.state, rendering_job.done, rendering_job.total) == (JobState.RUNNING, 1, 3)
    taken = next_task()
    assert taken.args_kwargs["args"] == [job.pk]  # the import, then the rest of the batch
    run_task(claim(taken))
    rest = next_task()
    assert (rest.task_path, rest.priority, len(rest.args_kwargs["args"][1])) == (
        render_batch.module_path,
        rendering.PRIORITY,
        2,
    )
    assert run_ready_tasks() == 2
    rendering_job.refresh_from_db()
    assert (rendering_job.state, rendering_job.done) == (JobState.DONE, 3)
    documents = InvoiceDocument.objects.filter(invoice__month=closed)
    assert documents.count() == 3 and all(document.intact() for document in documents)
