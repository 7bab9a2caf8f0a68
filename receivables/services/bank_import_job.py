"""Importing a bank file as a background job: started from the admin's upload page or the API, done by a
worker through ``import_bank_file``; the file is stored with its job, so a retry reads the very same bytes."""

from functools import partial

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job
from jobs.uploads import import_outcome, start_with_file

from ..models import BankFile
from ..models.payments import sha256
from .bank_import import import_bank_file


def import_later(name: str, content: bytes, *, by, dry_run: bool) -> Job:
    """The bank file stored with its job; a file refused as a whole (not a bank file) is refused here."""
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    earlier = BankFile.objects.filter(sha256=sha256(content)).first()
    if earlier is not None:
        raise ValidationError(
            _("This file was already imported (%(file)s): importing it again adds nothing.") % {"file": earlier}
        )
    description = (_("Bank file %(name)s (dry run)") if dry_run else _("Bank file %(name)s")) % {"name": name}
    return start_with_file(BANK_IMPORT, name, content, by=by, description=description, arguments={"dry_run": dry_run})


def import_file(job: Job) -> jobs.Outcome:
    """The bank file's import: all records or none, then the automatic match; each record's line reported."""
    upload = job.upload
    earlier = BankFile.objects.filter(sha256=upload.sha256, imported_at__gte=job.created_at).first()
    if earlier is not None and not job.arguments["dry_run"]:  # this job wrote it before its worker stopped
        url = reverse("admin:receivables_bankfile_change", args=[earlier.pk])
        return jobs.Outcome(_("Imported: %(file)s") % {"file": earlier}, url)
    report = import_bank_file(
        bytes(upload.content),
        name=upload.name,
        by=job.started_by,
        dry_run=job.arguments["dry_run"],
        progress=partial(jobs.advance, job.pk),
    )
    url = reverse("admin:receivables_bankfile_change", args=[report.bank_file.pk]) if report.bank_file else ""
    return import_outcome(report.summary(), report.lines, url=url)


BANK_IMPORT = JobKind("receivables.import_bank_file", gettext_lazy("Bank file import"), import_file)
