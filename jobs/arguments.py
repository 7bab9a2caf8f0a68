"""A job's arguments in staff's words: "month: 2026年11月", not ``{"month": 3}``.

Arguments are stored as the work reads them (JSON: ids, ``YYYY-MM``, ISO days). Each is shown under its
label, its value read by name: a month as the active language writes a month, a day as it writes a day,
yes or no. A kind whose argument only its app can read declares a reader that turns it into what it
stands for (``jobs.kinds.JobKind.readers``: billing's month id into the month's first day, receivables'
journal formats and outbox topics into their names).
"""

from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.display import date_text, month_text
from backoffice.months import Month

from .kinds import kind_of
from .models import Job, Upload

LABELS = {
    "month": _("month"),
    "day": _("day"),
    "format": _("format"),
    "dry_run": _("dry run"),
    "partial": _("keep the ok rows when some are refused"),
    "topics": _("topics"),
}
FORMATS = {"csv": "CSV", "xlsx": "Excel"}


def words(job: Job) -> list[tuple[str, str]]:
    """``(label, value)`` of each argument of ``job``, and of the file it works from."""
    kind = kind_of(job.kind)
    readers = kind.readers if kind else {}
    shown = []
    for name, value in job.arguments.items():
        try:
            value = readers[name](value) if name in readers else value
            text = _text(name, value)
        except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
            text = str(value)  # what it named is gone, or it is not what its name says: as stored
        shown.append((str(LABELS.get(name, name)), text))
    file = Upload.objects.filter(job=job).values_list("name", flat=True).first()
    if file is not None:
        shown.append((str(_("file")), file))
    return shown


def _text(name: str, value) -> str:
    if name == "month":
        return month_text(value if isinstance(value, date) else Month.parse(value))
    if name == "day":
        return date_text(date.fromisoformat(value))
    if name == "format":
        return str(FORMATS.get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)
