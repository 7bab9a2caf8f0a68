"""Reading an uploaded CSV file with bounded memory: row by row from the stream, stopping at the row
limit, with oversized cells, NUL bytes and broken quoting refused by line instead of failing."""

import csv
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def utf8_text(data: bytes) -> str:
    """An uploaded file's text, UTF-8 (a byte-order mark dropped); a ``ValidationError`` saying how to save it
    as UTF-8 otherwise. Excel's plain "CSV" is Shift_JIS on a Japanese Windows: such a file is named as one."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _is_shift_jis(data):
        raise ValidationError(
            _(
                "The file is Shift_JIS text, not UTF-8: in Excel, save it as “CSV UTF-8 (comma delimited)” "
                "and upload it again."
            )
        )
    raise ValidationError(_("The file is not UTF-8 text: save it as UTF-8 (in Excel, “CSV UTF-8”) and try again."))


def _is_shift_jis(data: bytes) -> bool:
    """Text in Shift_JIS (Windows' cp932): it decodes, to no private-use character (what stray bytes become)
    nor control character but tabs and line breaks."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(c) in ("Co", "Cc") and c not in "\t\r\n" for c in text)


def read_csv(lines: Iterable[str], *, required: str, max_rows: int, label: str = "") -> list[dict[str, str]]:
    """The rows of a CSV with a header naming ``required`` (``label``: how the message names that column, when
    the header may name it otherwise), keys and missing cells as stripped strings.

    Stops reading past ``max_rows`` rows, so a huge file is refused after ``max_rows`` + 1 rows, not
    read whole. A cell over ``csv.field_size_limit()``, a NUL byte or unparsable quoting is refused
    naming its line.
    """
    reader = csv.DictReader(lines)
    rows = []
    try:
        if not reader.fieldnames or required not in [(name or "").strip() for name in reader.fieldnames]:
            raise ValidationError(
                _("The file needs a header row with a “%(column)s” column.") % {"column": label or required}
            )
        for row in reader:
            if len(rows) == max_rows:
                raise ValidationError(_("A file holds at most %(max)s rows.") % {"max": f"{max_rows:,}"})
            cells = {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in row.items()}
            if any("\x00" in cell for cell in (*cells, *cells.values())):
                raise ValidationError(_("Line %(line)s holds a NUL byte.") % {"line": reader.line_num})
            rows.append(cells)
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)s is not readable CSV (%(error)s).") % {"line": reader.line_num + 1, "error": error}
        ) from error
    return rows
