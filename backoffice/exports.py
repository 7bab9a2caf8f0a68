"""Writing rows to CSV and Excel files that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a
formula by Excel or LibreOffice (CSV injection, OWASP); such text gets a leading ``'``. Numbers stay
numbers. Both writers work row by row, so a month of reports streams in constant memory.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT, DATE, YEN, NUMBER = "text", "date", "yen", "number"


@dataclass(frozen=True)
class Column:
    """A column of an export: its header and the type of its cells (``TEXT``, ``DATE``, ``YEN``, ``NUMBER``)."""

    label: str
    kind: str = TEXT


def safe_cell(value):
    """``value`` as a spreadsheet must store it: formula-like text neutralised, anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like target for ``csv.writer`` that hands back the line it was given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, one line at a time: a UTF-8 byte-order mark (so Excel reads Japanese), the header,
    the rows; CRLF line ends (RFC 4180). Dates are ISO dates; ``None`` is an empty cell."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([safe_cell(str(column.label)) for column in columns])
    for row in rows:
        yield writer.writerow(["" if value is None else safe_cell(value) for value in row])


def csv_response(filename: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A download of the rows as CSV, streamed: the rows are read as the client receives them."""
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def write_xlsx(target, columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str = "") -> None:
    """Write the rows to an Excel workbook at ``target`` (a path or a binary file) with typed cells.

    Dates are dates, yen are integers shown ``#,##0``, the header row is frozen and filters. The
    workbook is written in constant memory: each row is flushed to disk as soon as it is written.
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "remove_timezone": True})
    worksheet = workbook.add_worksheet(sheet or None)
    header = workbook.add_format({"bold": True})
    formats = {
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        YEN: workbook.add_format({"num_format": "#,##0"}),
    }
    for col, column in enumerate(columns):
        worksheet.write_string(0, col, safe_cell(str(column.label)), header)
        worksheet.set_column(col, col, 12 if column.kind in (DATE, YEN) else 20)
    last_row = 0
    for last_row, row in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, row, strict=True)):
            _write_cell(worksheet, last_row, col, column.kind, value, formats.get(column.kind))
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, last_row, len(columns) - 1)
    workbook.close()


def _write_cell(worksheet, row: int, col: int, kind: str, value, cell_format) -> None:
    if value is None or value == "":
        worksheet.write_blank(row, col, None, cell_format)
    elif kind == DATE and isinstance(value, date):
        worksheet.write_datetime(row, col, value, cell_format)
    elif kind in (YEN, NUMBER) and isinstance(value, int | float) and not isinstance(value, bool):
        worksheet.write_number(row, col, value, cell_format)
    else:
        worksheet.write_string(row, col, safe_cell(str(value)))


def xlsx_response(filename: str, columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str = ""):
    """A download of the rows as an Excel workbook, built in a temporary file and streamed from it."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_xlsx(target, columns, rows, sheet=sheet)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


__all__ = [
    "DATE",
    "NUMBER",
    "TEXT",
    "YEN",
    "Column",
    "csv_lines",
    "csv_response",
    "safe_cell",
    "write_xlsx",
    "xlsx_response",
]
