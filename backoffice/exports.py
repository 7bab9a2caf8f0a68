"""Writing rows to CSV and Excel files that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a
formula by Excel or LibreOffice (CSV injection, OWASP); such text gets a leading ``'``. Numbers stay
numbers. Both writers work row by row, so a month of reports streams in constant memory.
"""

import csv
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter
from django.db import connections
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT, DATE, DATETIME, YEN, NUMBER = "text", "date", "datetime", "yen", "number"


@dataclass(frozen=True)
class Column:
    """A column of an export: its header and the type of its cells (``TEXT``, ``DATE``, ``DATETIME``, ``YEN``,
    ``NUMBER``); the type gives an empty or numeric cell its format, a date is written as a date whatever the type."""

    label: str
    kind: str = TEXT


def safe_cell(value):
    """``value`` as a CSV file must hold it: formula-like text neutralised, anything else unchanged. (An xlsx
    string cell is never a formula: the workbook writes text as it is.)"""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_value(value):
    """A cell of a CSV line: empty for None, a date-time to the second (as the screens show it), formula-safe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return safe_cell(value)


class _Line:
    """A file-like target for ``csv.writer`` that hands back the line it was given."""

    def write(self, line: str) -> str:
        return line


#: Cell types ``csv.writer`` writes as they must be (a number, an ISO date, ``None`` as empty): no conversion.
PLAIN = frozenset({int, float, date, type(None)})


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, one line at a time: a UTF-8 byte-order mark (so Excel reads Japanese), the header,
    the rows; CRLF line ends (RFC 4180). Dates are ISO dates; ``None`` is an empty cell."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([safe_cell(str(column.label)) for column in columns])
    for row in rows:
        # Most cells need nothing (a million rows: the per-cell call is most of the time); the rest, csv_value.
        yield writer.writerow(
            [
                value
                if type(value) in PLAIN or (type(value) is str and not value.startswith(FORMULA_STARTS))
                else csv_value(value)
                for value in row
            ]
        )


def copy_csv_lines(columns: Sequence[Column], queryset, progress=None) -> Iterator[bytes]:
    """What ``csv_lines`` writes of ``queryset`` (a ``values_list`` of the columns' cells), written by
    PostgreSQL's ``COPY … TO STDOUT`` instead: no Python work per row, which at a million rows is most of
    the time. Text cells are made formula-safe by the query as ``safe_cell`` does, the line ends are CRLF;
    ``progress`` (if given) is told the rows written, a chunk at a time.
    """
    import psycopg  # PostgreSQL only

    connection = connections[queryset.db]
    names = [f"c{n}" for n in range(len(columns))]
    starts = ", ".join("'" + start.replace("'", "''") + "'" for start in FORMULA_STARTS)
    cells = ", ".join(
        f"CASE WHEN left({name}::text, 1) IN ({starts}) THEN '''' || {name}::text ELSE {name}::text END"
        if column.kind == TEXT
        else name
        for name, column in zip(names, columns, strict=True)
    )
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    query = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    statement = f"COPY (SELECT {cells} FROM ({query}) AS q({', '.join(names)})) TO STDOUT (FORMAT csv)"
    yield "".join(csv_lines(columns, [])).encode("utf-8")
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for chunk in copy:
            data = bytes(chunk)
            if progress is not None:
                progress(data.count(b"\n"))
            yield data.replace(b"\n", b"\r\n")


def csv_response(filename: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A download of the rows as CSV, streamed: the rows are read as the client receives them."""
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


#: Data rows a sheet holds: Excel's 1,048,576 rows, less the header.
MAX_ROWS = 1_048_575
#: Rows whose content sets the column widths: enough to see the data, cheap on a million rows.
WIDTH_SAMPLE = 1000
#: The widest a column is made, in characters: longer text wraps the eye, not the sheet.
MAX_WIDTH = 60
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str) -> str:
    """``name`` as Excel accepts a sheet name: none of ``[]:*?/\\``, no leading or trailing ``'``, 31 characters."""
    cleaned = SHEET_NAME_FORBIDDEN.sub("_", str(name)).strip("'")[:31]
    return cleaned or "Sheet"


def text_width(text: str) -> int:
    """How many narrow characters ``text`` spans: a Japanese (wide) character counts two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_width(value) -> int:
    """The width in characters a cell needs to show ``value`` as ``XlsxBook`` writes it."""
    if value is None or value == "":
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(f"{value:,}") + 1
    return text_width(safe_cell(str(value)))


class XlsxBook:
    """An Excel workbook written in constant memory, one sheet of typed rows after another.

    Each row is flushed to disk as soon as it is written, so rows must come in order and a sheet is
    finished before the next begins. Dates are dates, yen are integers shown ``#,##0``, text is
    formula-safe; each sheet's header row is frozen and filters, its columns as wide as their content.
    """

    def __init__(self, target, *, max_rows: int = MAX_ROWS):
        self.max_rows = max_rows
        self.workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "remove_timezone": True})
        self.header = self.workbook.add_format({"bold": True})
        self.formats = {
            DATE: self.workbook.add_format({"num_format": "yyyy-mm-dd"}),
            DATETIME: self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            YEN: self.workbook.add_format({"num_format": "#,##0"}),
        }

    def add_sheet(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> tuple[str, int]:
        """Write a sheet of ``rows`` under a header; returns the sheet's name and the number of rows written.

        Rows beyond what a sheet holds continue on a sheet of the same name numbered ``(2)``, ``(3)``…
        """
        first_name, written, part = "", 0, 0
        rows = iter(rows)
        while True:
            part += 1
            title = self.unique_name(name if part == 1 else f"{sheet_name(name)[:25]} ({part})")
            first_name = first_name or title
            count, more = self.fill_sheet(self.workbook.add_worksheet(title), columns, rows)
            written += count
            if not more:
                return first_name, written

    def fill_sheet(self, worksheet, columns: Sequence[Column], rows) -> tuple[int, bool]:
        """Write the header and as many rows as a sheet holds; returns the count and whether rows remain."""
        widths = [max(text_width(str(column.label)) + 2, MIN_WIDTH.get(column.kind, 6)) for column in columns]
        for col, column in enumerate(columns):
            worksheet.write_string(0, col, str(column.label), self.header)
        kinds = [column.kind for column in columns]
        last_row, more = 0, False
        for row in rows:
            last_row += 1
            if len(row) != len(kinds):
                raise ValueError(f"row {last_row} has {len(row)} cells for {len(kinds)} columns")
            if last_row <= WIDTH_SAMPLE:
                cells = zip(widths, row, strict=True)
                widths = [max(width, min(cell_width(value), MAX_WIDTH)) for width, value in cells]
            for col, value in enumerate(row):
                self.write_cell(worksheet, last_row, col, kinds[col], value)
            if last_row == self.max_rows:
                more = True
                break
        for col, width in enumerate(widths):  # the column widths are written when the book closes
            worksheet.set_column(col, col, width)
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, last_row, max(len(columns) - 1, 0))
        return last_row, more

    def unique_name(self, name: str) -> str:
        """A valid sheet name not yet used in this book (Excel compares names ignoring case)."""
        base = candidate = sheet_name(name)
        taken = {sheet.name.lower() for sheet in self.workbook.worksheets()}
        n = 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base[:26]} ({n})"
        return candidate

    def add_chart(self, worksheet, cell: str, chart, sheet: str, rows: int) -> None:
        """Draw a native chart at ``cell`` of ``worksheet``.

        ``chart`` has ``kind``, ``title``, ``series`` (column indexes) and ``stacked``; it plots the table
        of ``rows`` rows on ``sheet``: its first column as categories, each series a column.
        """
        options = {"type": chart.kind, **({"subtype": "stacked"} if chart.stacked else {})}
        drawing = self.workbook.add_chart(options)
        for col in chart.series:
            drawing.add_series(
                {
                    "name": [sheet, 0, col],
                    "categories": [sheet, 1, 0, max(rows, 1), 0],
                    "values": [sheet, 1, col, max(rows, 1), col],
                }
            )
        drawing.set_title({"name": str(chart.title)})
        drawing.set_size({"width": 720, "height": 360})
        worksheet.insert_chart(cell, drawing)

    def write_cell(self, worksheet, row: int, col: int, kind: str, value) -> None:
        """Write one typed cell: a date as a date, a number as a number, anything else as text (never a formula).

        Tested by exact type first: a million rows make this the writer's inner loop.
        """
        kind_of_value = type(value)
        if kind_of_value is str and value:
            worksheet.write_string(row, col, value)
        elif kind_of_value is int or kind_of_value is float:
            worksheet.write_number(row, col, value, self.formats.get(kind))
        elif kind_of_value is date and value >= SERIAL_DATES_FROM:
            # A date is its serial number in the date format: what write_datetime stores, without its conversion.
            worksheet.write_number(row, col, (value - EXCEL_EPOCH).days, self.formats[DATE])
        elif value is None or value == "":
            worksheet.write_blank(row, col, None, self.formats.get(kind))
        elif isinstance(value, datetime):
            worksheet.write_datetime(row, col, value, self.formats[DATETIME])
        elif isinstance(value, date):
            worksheet.write_datetime(row, col, value, self.formats[DATE])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            worksheet.write_number(row, col, value, self.formats.get(kind))
        else:
            worksheet.write_string(row, col, str(value))

    def close(self) -> None:
        self.workbook.close()


#: Excel's day 0 for the serial numbers of dates from 1900-03-01 on (earlier ones carry Excel's 1900 leap-year
#: error: ``write_datetime`` handles them).
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_DATES_FROM = date(1900, 3, 1)

#: The narrowest a column of each kind is made, so a date or an amount is never shown as ``###``.
MIN_WIDTH = {DATE: 11, DATETIME: 17, YEN: 12}


def write_xlsx(target, columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str = "") -> None:
    """Write the rows to an Excel workbook at ``target`` (a path or a binary file), one sheet (``XlsxBook``)."""
    book = XlsxBook(target)
    book.add_sheet(sheet or "Sheet1", columns, rows)
    book.close()


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
    "DATETIME",
    "NUMBER",
    "TEXT",
    "YEN",
    "Column",
    "XlsxBook",
    "copy_csv_lines",
    "csv_lines",
    "csv_response",
    "safe_cell",
    "sheet_name",
    "text_width",
    "write_xlsx",
    "xlsx_response",
]
