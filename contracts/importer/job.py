"""The contract import as a background job: started from the admin's upload page, done by a worker.

The import and the job's outcome commit together: a worker killed halfway leaves nothing written and
the job unfinished, and the job taken up again imports the same stored file whole; a job that finished
never imports twice. Its progress shows as it goes, written beside its transaction (``jobs.aside``).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job
from jobs.uploads import import_outcome, start_with_file

from .runner import import_rows
from .source import ImportFileError, read_content

#: Who imports: whoever may add customers and contracts (sales).
PERMISSIONS = ("customers.add_customer", "contracts.add_contract")

#: The upload page's choice that ``--partial`` is on the command line.
KEEP_OK_ROWS = gettext_lazy("keep the ok rows when some are refused")

#: The most contracts the result's link names (the web server refuses a longer address): beyond, the whole list.
LINKED_CONTRACTS = 200


def import_later(upload, *, by, partial: bool, dry_run: bool) -> Job:
    """Check the file as a whole (its name, UTF-8, its columns), then start the job that imports it."""
    content = b"".join(upload.chunks())
    try:
        read_content(upload.name, content)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    what = _("Dry run of %(file)s") if dry_run else _("Import of %(file)s")
    return start_with_file(
        CONTRACT_IMPORT,
        upload.name,
        content,
        by=by,
        description=what % {"file": upload.name},
        arguments={"partial": partial, "dry_run": dry_run},
    )


def run(job: Job):
    """The job's handler: read the stored file, import it, and finish the job in the same transaction."""
    upload = job.upload
    rows = read_content(upload.name, bytes(upload.content))
    jobs.advance(job.pk, 0, len(rows))
    with transaction.atomic():
        report = import_rows(
            rows,
            label=f"import {upload.name}",
            user=job.started_by,
            progress=partial(jobs.advance, job.pk),
            **job.arguments,
        )
        url = written_contracts_url(report)
        keep = _("“%(choice)s” ticked") % {"choice": KEEP_OK_ROWS}
        jobs.finish(job.pk, import_outcome(report.summary(keep_ok_rows=keep), report.refusals(), url=url))
    return jobs.FOLLOWS


def written_contracts_url(report) -> str:
    """The contracts list filtered to the contracts the import wrote: its contract rows, and those its
    options and changes were written to; none when it wrote nothing."""
    if not report.written:
        return ""
    written = [row for row in report.rows if row.number not in report.refused]
    numbers = sorted(
        {row.key if row.kind == "contract" else str(row.values.get("contract", "")) for row in written} - {""}
    )
    url = reverse("admin:contracts_contract_changelist")
    return url if len(numbers) > LINKED_CONTRACTS else f"{url}?{urlencode({'number__in': ','.join(numbers)})}"


CONTRACT_IMPORT = JobKind("contracts.import", gettext_lazy("Contract import from a file"), run)
