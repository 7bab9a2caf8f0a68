"""Rendering a closed month's invoice documents in the background, in batches across the workers.

Closing numbers, dates and taxes every invoice in one short transaction and starts a job here; the
job splits the invoices still without a document into batches (``DOCUMENT_BATCH_SIZE`` each), one
task per batch, and the workers render them side by side. Each document is rendered outside any
transaction and written in a short one of its own: a worker killed halfway leaves every invoice either
with its whole document or without one. The invoice's document is unique, so a batch run twice (a
retry, two workers on the same batch) writes nothing twice; the loser of a race keeps the winner's.
After a batch its documents are read back and checked against their checksums.

Rendering is bulk work nobody waits for, unlike an import or a billing run staff just started: its tasks
take a low priority (``PRIORITY``) where the backend orders by priority (the database's), and a task
renders for ``DOCUMENT_SLICE_SECONDS`` (5) at most, then queues the rest of its batch as a task of its
own. So a worker is free for the work queued meanwhile within seconds, however slow the documents are on
its machine.

A month whose rendering stopped is taken up again by a retry, or by the workers once its worker has been
silent for ``JOBS_STALLED_AFTER_SECONDS`` (``jobs.services.resume_stalled``): the job renders what is
still missing.
"""

import time
from collections import defaultdict
from itertools import batched

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job, JobState
from jobs.tasks import job_task

from .background import MONTH_READERS
from .documents import render_html, render_pdf
from .models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine, InvoiceTax


class DocumentNotIntact(Exception):
    """A document read back does not match the checksums taken as it was written."""


def render_later(month: BillingMonth, *, by=None) -> Job:
    """Start the job rendering ``month``'s documents (inside the closing's transaction; enqueued on commit)."""
    return jobs.start(
        RENDER_DOCUMENTS,
        by=by,
        description=_("Invoice documents of %(month)s") % {"month": month},
        arguments={"month": month.pk},
        total=issued(month).count(),
    )


def job_of(month: BillingMonth) -> Job | None:
    """The latest job rendering ``month``'s documents."""
    return Job.objects.filter(kind=RENDER_DOCUMENTS.name, arguments__month=month.pk).order_by("-pk").first()


def issued(month: BillingMonth):
    return Invoice.objects.filter(month=month, number__isnull=False)


#: The priority of the rendering's tasks: after the work staff wait for (0, the default; urgent e-mails 50).
PRIORITY = -50


def missing(month: BillingMonth) -> list[int]:
    """The ids of ``month``'s issued invoices without a document, in number order."""
    return without_document(issued(month))


def without_document(invoices) -> list[int]:
    return list(invoices.filter(document__isnull=True).order_by("number").values_list("pk", flat=True))


def count_rendered(month_id: int) -> int:
    return InvoiceDocument.objects.filter(invoice__month_id=month_id).count()


def plan(job: Job):
    """The job's handler: one task per batch of invoices still without a document (FOLLOWS: they finish it)."""
    month = BillingMonth.objects.get(pk=job.arguments["month"])
    todo = missing(month)
    total = issued(month).count()
    jobs.advance(job.pk, total - len(todo), total)
    if not todo:
        return _outcome(month, total)
    batches = [list(ids) for ids in batched(todo, settings.DOCUMENT_BATCH_SIZE)]
    transaction.on_commit(lambda: [enqueue_batch(job.pk, ids) for ids in batches])
    return jobs.FOLLOWS


def enqueue_batch(job_id: int, invoice_ids: list[int]) -> None:
    """Queue a batch at the rendering's priority where the backend takes priorities (RQ's queue is one list)."""
    task = render_batch
    if task.get_backend().supports_priority:
        task = task.using(priority=PRIORITY)
    task.enqueue(job_id, invoice_ids)


@job_task
def render_batch(job_id: int, invoice_ids: list[int]) -> int:
    """Render and store the documents of these invoices that have none yet, for ``DOCUMENT_SLICE_SECONDS``: the rest is
    queued again, behind what came meanwhile (its task is queued before this one ends, so the job is never
    without one). Finish the job when it is the last."""
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return 0
    try:
        written = write_documents(
            invoice_ids, by=job.started_by, until=time.monotonic() + settings.DOCUMENT_SLICE_SECONDS
        )
    except Exception as exc:
        jobs.fail(job_id, exc)
        raise
    if rest := without_document(Invoice.objects.filter(pk__in=invoice_ids, number__isnull=False)):
        enqueue_batch(job_id, rest)
    month_id = job.arguments["month"]
    done, total = count_rendered(month_id), issued(BillingMonth(pk=month_id)).count()
    jobs.advance(job_id, done, total)
    if done >= total:
        jobs.finish(job_id, _outcome(BillingMonth.objects.get(pk=month_id), total))
    return written


def write_documents(invoice_ids: list[int], *, by=None, until: float | None = None) -> int:
    """Render and write the missing documents of these invoices, each once; verify them. Returns how many
    this call wrote. Given ``until`` (a ``time.monotonic()``), no document is begun after it but the first."""
    invoices = list(
        Invoice.objects.filter(pk__in=invoice_ids, number__isnull=False, document__isnull=True)
        .select_related("customer", "month")
        .order_by("number")
    )
    lines, taxes = defaultdict(list), defaultdict(list)
    for line in InvoiceLine.objects.filter(invoice__in=invoices).order_by("occurred_on", "pk"):
        lines[line.invoice_id].append(line)
    for tax in InvoiceTax.objects.filter(invoice__in=invoices).order_by("-rate"):
        taxes[tax.invoice_id].append(tax)
    written = 0
    for number, invoice in enumerate(invoices):
        if number and until is not None and time.monotonic() >= until:
            break
        html = render_html(invoice, lines[invoice.pk], taxes[invoice.pk])
        document = InvoiceDocument(invoice=invoice, html=html, pdf=render_pdf(html))
        document._history_user = by
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            if not InvoiceDocument.objects.filter(invoice=invoice).exists():
                raise
            continue  # another worker wrote it first: that one stays
        written += 1
    _verify(invoice_ids)
    return written


def _verify(invoice_ids: list[int]) -> None:
    for document in InvoiceDocument.objects.filter(invoice_id__in=invoice_ids).select_related("invoice"):
        if not document.intact():
            raise DocumentNotIntact(
                _("The document of invoice %(number)s does not match its checksum.")
                % {"number": document.invoice.display_number}
            )


def render_now(month: BillingMonth, *, by=None, progress=None) -> int:
    """Render ``month``'s missing documents in this process (a command, the tests); returns how many."""
    todo = missing(month)
    written = 0
    for number, ids in enumerate(batched(todo, settings.DOCUMENT_BATCH_SIZE), start=1):
        written += write_documents(list(ids), by=by)
        if progress:
            progress(min(number * settings.DOCUMENT_BATCH_SIZE, len(todo)), len(todo))
    return written


def _outcome(month: BillingMonth, total: int) -> jobs.Outcome:
    url = reverse("admin:billing_invoice_changelist") + f"?month__id__exact={month.pk}"
    return jobs.Outcome(
        _("%(count)d invoice documents of %(month)s rendered and verified") % {"count": total, "month": month}, url
    )


RENDER_DOCUMENTS = JobKind(
    "billing.render_documents", gettext_lazy("Invoice documents of a closed month"), plan, MONTH_READERS
)
