"""Starting a job that works from an uploaded file: the file is stored with the job, in one transaction."""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from .kinds import JobKind
from .models import Job, Upload
from .services import Outcome, start

#: Refused rows listed on the job's page; the rest are counted.
REFUSALS_SHOWN = 1000


def start_with_file(kind: JobKind, name: str, content: bytes, *, by, description: str, arguments: dict) -> Job:
    """Record the file ``name`` (its bytes, as the caller read and checked them) with a new job of ``kind``,
    enqueued once the caller commits."""
    with transaction.atomic():
        job = start(kind, by=by, description=description, arguments=arguments)
        row = Upload(job=job, name=name, content=content, size=len(content))
        row.sha256 = hashlib.sha256(content).hexdigest()
        row._history_user = by
        row.save()
    return job


def text_of(job: Job) -> str:
    """The uploaded file's text (UTF-8, a byte-order mark dropped); ``UnicodeDecodeError`` if it is not."""
    return bytes(job.upload.content).decode("utf-8-sig")


def import_outcome(summary: str, refusals: list[str], *, url: str = "") -> Outcome:
    """An import's result as the job page shows it: its summary, then the refused rows (the first thousand)."""
    shown = refusals[:REFUSALS_SHOWN]
    more = len(refusals) - len(shown)
    tail = [_("… and %(count)d more refused rows.") % {"count": more}] if more else []
    return Outcome("\n".join([summary, *shown, *tail]), url)
