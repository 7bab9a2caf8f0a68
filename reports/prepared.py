"""Preparing a month's report in the background: asked from the dashboard, written by a worker, kept per
month, language and format while the data it read stands (``freshness``), then downloaded from the page.

The file is written to a temporary file in constant memory and stored with the default file storage (a
private bucket every machine reads, or ``MEDIA_ROOT``: ``config/storage.py``), uploaded in parts; the download
streams it back (``backoffice.stored``). A worker killed halfway leaves the report without a file, and the
job taken up again writes it whole.
"""

import tempfile

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import month_text
from backoffice.months import Month
from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job, JobState

from .freshness import newest_change
from .models import PreparedReport
from .sections import monthly_report
from .writers import write


def file_name(month: Month, fmt: str) -> str:
    return _("monthly_report_%(month)s") % {"month": month} + (".xlsx" if fmt == "xlsx" else ".zip")


def latest(month: Month, fmt: str) -> PreparedReport | None:
    """The newest report of ``month`` in ``fmt`` and the active language, being prepared or ready."""
    rows = PreparedReport.objects.filter(month=str(month), format=fmt, language=translation.get_language())
    return rows.exclude(job__state=JobState.FAILED).select_related("job").order_by("-pk").first()


def is_current(report: PreparedReport | None, as_of) -> bool:
    """Ready, and nothing the report reads changed since it was made."""
    return bool(report and report.file and (as_of is None or (report.data_as_of and report.data_as_of >= as_of)))


def prepare(month: Month, fmt: str, *, by) -> PreparedReport:
    """The report being prepared or ready for ``month``; a new job unless a current or running one exists."""
    report = latest(month, fmt)
    if report and (is_current(report, newest_change()) or not report.job.is_finished):
        return report
    with transaction.atomic():
        job = jobs.start(
            MONTHLY_REPORT,
            by=by,
            description=_("Monthly report %(month)s (%(format)s)") % {"month": month_text(month), "format": fmt},
            arguments={"month": str(month), "format": fmt},
        )
        report = PreparedReport(month=str(month), format=fmt, language=job.language, job=job)
        report._history_user = by
        report.save()
    return report


def run(job: Job) -> jobs.Outcome:
    """The job's handler: write the report and keep it, with the moment of the data it read."""
    report = job.prepared_report
    as_of = newest_change()  # read first: a change made while writing leaves the report stale, not wrong
    month = Month.parse(report.month)
    content = monthly_report(month)
    # The rows written are counted at the end only: the CSV sections stream from a COPY on this
    # connection, which takes no other query (a progress UPDATE) until it is done.
    jobs.advance(job.pk, 0, sum(section.size() for section in content.sections))
    with tempfile.TemporaryFile() as target:
        write(content, report.format, target)
        size = target.tell()
        target.seek(0)
        if report.file:
            report.file.delete(save=False)
        report.file.save(file_name(month, report.format), File(target), save=False)
    report.data_as_of, report.size = as_of, size
    report._history_user = job.started_by
    report.save()
    return jobs.Outcome(_("Ready to download (%(size)s bytes)") % {"size": f"{size:,}"}, download_url(report))


def download_url(report: PreparedReport) -> str:
    return reverse("reports:prepared", args=[report.pk])


MONTHLY_REPORT = JobKind("reports.monthly_report", gettext_lazy("Monthly report"), run)
