"""Receiving stock from a supplier's CSV of serial numbers: every row checked and reported, then all
rows written or none (a dry run writes none), as the contract import does.

Columns: ``serial`` (required), ``acquired_on`` and ``acquisition_cost`` (optional; the batch's
values are used when a row leaves them empty).
"""

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.csv_input import read_csv
from backoffice.dates import parse_date

from ..models import Unit, UnitModel
from . import units

#: The largest file read in one go; a supplier's batch is a few thousand units.
MAX_ROWS = 10_000


@dataclass
class ImportReport:
    lines: list[str] = field(default_factory=list)
    refused: int = 0
    written: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        total = len(self.lines)
        counts = _("%(total)s rows: %(ok)s ok, %(refused)s refused.") % {
            "total": total,
            "ok": total - self.refused,
            "refused": self.refused,
        }
        if self.dry_run:
            return f"{counts} " + _("Dry run: nothing was written.")
        if self.written:
            return f"{counts} " + _("All rows were written.")
        return f"{counts} " + _("Nothing was written: fix the refused rows and import the file again.")


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _number(text: str, default: int) -> int:
    text = text.strip().replace(",", "")
    if not text:
        return default
    if not text.isdigit():
        raise ValidationError(_("Not a whole number of yen: %(value)s") % {"value": text[:40]})
    return int(text)


def _unit(record: dict, unit_model: UnitModel, acquired_on: date, cost: int) -> Unit:
    day_text = (record.get("acquired_on") or "").strip()
    day = parse_date(day_text) if day_text else acquired_on
    if day is None:
        raise ValidationError(_("Not a date: %(value)s") % {"value": day_text[:40]})
    unit = Unit(
        serial=(record.get("serial") or "").strip(),
        unit_model=unit_model,
        acquired_on=day,
        acquisition_cost=_number(record.get("acquisition_cost") or "", cost),
    )
    unit.full_clean()
    return unit


def import_units(
    source: str | Iterable[str],
    *,
    unit_model: UnitModel,
    acquired_on: date,
    cost: int,
    by=None,
    dry_run: bool = False,
) -> ImportReport:
    """Check every row, then write them all in one transaction unless one is refused or it is a dry run.

    ``source`` is the CSV's text or its lines as read (the stored upload's text, ``jobs.uploads.text_of``).
    """
    lines = io.StringIO(source.lstrip("\ufeff")) if isinstance(source, str) else source
    report = ImportReport(dry_run=dry_run)
    checked, seen = [], set()
    for number, record in enumerate(read_csv(lines, required="serial", max_rows=MAX_ROWS), start=2):
        serial = unicodedata.normalize("NFKC", record.get("serial") or "").strip()
        try:
            if serial in seen:
                raise ValidationError(_("The serial number appears twice in the file."))
            seen.add(serial)
            checked.append(_unit(record, unit_model, acquired_on, cost))
        except ValidationError as exc:
            report.refused += 1
            report.lines.append(f"{number}\t{serial[:40]}\t" + _("refused: %(message)s") % {"message": _message(exc)})
            continue
        report.lines.append(f"{number}\t{serial}\t" + _("ok"))
    if dry_run or report.refused or not checked:
        return report
    try:
        with transaction.atomic():
            for unit in checked:
                units.add_unit(unit, on=unit.acquired_on, by=by, note=_("Imported"))
    except (IntegrityError, ValidationError):  # a serial added meanwhile: the whole file is rolled back
        report.refused = len(checked)
        report.lines.append(_("The database refused a row: nothing was written."))
        return report
    report.written = len(checked)
    return report
