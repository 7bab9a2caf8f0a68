"""Reading an import file, CSV or JSON by its extension, into numbered raw rows (docs/import.md)."""

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.csv_input import utf8_text

from .fields import COLUMNS

#: JSON sections, in the order their rows are numbered (dependency order).
SECTIONS = {
    "customers": "customer",
    "related_contracts": "related",
    "contracts": "contract",
    "options": "option",
    "changes": "change",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; no row is looked at."""


@dataclass
class RawRow:
    number: int  # CSV: the spreadsheet row (the header is row 1); JSON: position across the sections
    kind: str
    values: dict


def _reader(name: str):
    reader = {".csv": _read_csv, ".json": _read_json}.get(Path(name).suffix.lower())
    if reader is None:
        raise ImportFileError(_("%(file)s: the file name must end in .csv or .json.") % {"file": name})
    return reader


def read_rows(path: Path) -> list[RawRow]:
    _reader(path.name)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(_("%(file)s: cannot be read (%(error)s).") % {"file": path.name, "error": exc}) from None
    return read_content(path.name, content)


def read_content(name: str, content: bytes) -> list[RawRow]:
    """The rows of an uploaded file's bytes, read as ``read_rows`` reads a file of that name."""
    reader = _reader(name)
    try:
        text = utf8_text(content)
    except ValidationError as exc:
        raise ImportFileError(_("%(file)s: %(problem)s") % {"file": name, "problem": exc.messages[0]}) from None
    return reader(io.StringIO(text, newline=""), name)


def _read_csv(handle, name: str) -> list[RawRow]:
    try:
        reader = csv.DictReader(handle, restkey="\0extra")
        header = reader.fieldnames or []
        if "record" not in header:
            raise ImportFileError(_("%(file)s: the header has no “record” column.") % {"file": name})
        known = {"record"}.union(*COLUMNS.values())
        unknown = [column for column in header if column not in known]
        if unknown:
            raise ImportFileError(
                _("%(file)s: unknown columns: %(columns)s.") % {"file": name, "columns": ", ".join(unknown)}
            )
        rows = []
        for index, values in enumerate(reader, start=2):
            if "\0extra" in values:
                raise ImportFileError(
                    _("%(file)s: row %(row)s has more cells than the header.") % {"file": name, "row": index}
                )
            kind = (values.pop("record") or "").strip()
            if kind or any((value or "").strip() for value in values.values()):
                rows.append(RawRow(index, kind, values))
        return rows
    except csv.Error as exc:
        raise ImportFileError(_("%(file)s: not a valid CSV file (%(error)s).") % {"file": name, "error": exc}) from None


def _read_json(handle, name: str) -> list[RawRow]:
    try:
        document = json.load(handle)
    except json.JSONDecodeError as exc:
        raise ImportFileError(_("%(file)s: not valid JSON (%(error)s).") % {"file": name, "error": exc}) from None
    if not isinstance(document, dict):
        raise ImportFileError(_("%(file)s: the document must be a JSON object with the sections.") % {"file": name})
    unknown = [key for key in document if key not in SECTIONS]
    if unknown:
        raise ImportFileError(
            _("%(file)s: unknown sections: %(sections)s; use %(known)s.")
            % {"file": name, "sections": ", ".join(unknown), "known": ", ".join(SECTIONS)}
        )
    rows = []
    for section, kind in SECTIONS.items():
        entries = document.get(section, [])
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise ImportFileError(
                _("%(file)s: “%(section)s” must be a list of objects.") % {"file": name, "section": section}
            )
        rows += [RawRow(len(rows) + 1 + i, kind, entry) for i, entry in enumerate(entries)]
    return rows
