"""Writing rows to CSV and Excel files that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a
formula by Excel or LibreOffice (CSV injection, OWASP); such text gets a leading ``'``. Numbers stay
numbers. Both writers work row by row, so a month of reports streams in constant memory.
"""

import csv
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import batched, chain, islice

from django.db import connections
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from . import xlsx

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

    A sheet's first ``WIDTH_SAMPLE`` rows are held to size its columns; a longer sheet then streams into
    the zip as its rows come (so a sheet is finished before the next begins), a shorter one is kept until
    the book closes, so that charts can be drawn on it. Dates are dates, yen are integers shown ``#,##0``,
    text is text, never a formula; each sheet's header row is frozen and filters. The XML is
    ``backoffice.xlsx``'s: a cell is one f-string, a row one join.
    """

    def __init__(self, target, *, max_rows: int = MAX_ROWS):
        self.max_rows = max_rows
        # The fastest deflate level: the XML still shrinks about tenfold, at a third of the default's time.
        self.archive = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.names: list[str] = []  # the sheets', in order
        self.filters: list[str] = []  # each sheet's header and rows: "A1:L201"
        self.kept: dict[int, str] = {}  # the XML of the short sheets, by number (from 1), but for its end
        self.charts: dict[int, list[tuple[str, str]]] = {}  # the charts of a kept sheet: (cell, chart XML)

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
            count = self.fill_sheet(title, columns, rows)
            written += count
            following = next(rows, None) if count == self.max_rows else None
            if following is None:
                return first_name, written
            rows = chain([following], rows)

    def fill_sheet(self, title: str, columns: Sequence[Column], rows: Iterator[Sequence]) -> int:
        """Write the header and as many rows as a sheet holds; returns how many rows were written."""
        self.names.append(title)
        number = len(self.names)
        sample = list(islice(rows, min(WIDTH_SAMPLE, self.max_rows)))
        widths = [max(text_width(str(column.label)) + 2, MIN_WIDTH.get(column.kind, 6)) for column in columns]
        for row in sample:
            widths = [max(width, min(cell_width(value), MAX_WIDTH)) for width, value in zip(widths, row, strict=True)]
        letters = [xlsx.column_letter(n) for n in range(len(columns))]
        styles = [CELL_STYLES.get(column.kind, "") for column in columns]
        header = "".join(
            xlsx.text_cell(f"{x}1", str(column.label), BOLD) for x, column in zip(letters, columns, strict=True)
        )
        head = f'{xlsx.sheet_head(selected=number == 1, widths=widths)}<row r="1">{header}</row>'
        if len(sample) < WIDTH_SAMPLE:  # the whole sheet: kept, for the charts that may come
            self.kept[number] = head + "".join(xlsx.rows(letters, styles, sample))
            self.filters.append(_table_range(letters, len(sample)))
            return len(sample)
        lines = xlsx.rows(letters, styles, chain(sample, islice(rows, self.max_rows - len(sample))))
        count = 0
        with self.archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as member:
            member.write(head.encode())
            for batch in batched(lines, ROWS_PER_WRITE):
                member.write("".join(batch).encode())
                count += len(batch)
            self.filters.append(_table_range(letters, count))
            member.write(xlsx.sheet_tail(self.filters[-1], drawing=False).encode())
        return count

    def unique_name(self, name: str) -> str:
        """A valid sheet name not yet used in this book (Excel compares names ignoring case)."""
        base = candidate = sheet_name(name)
        taken = {name.lower() for name in self.names}
        n = 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base[:26]} ({n})"
        return candidate

    def add_chart(self, sheet: str, cell: str, chart, table: str, rows: int) -> None:
        """Draw a native chart, its top-left corner at ``cell`` of ``sheet`` (a sheet of fewer than
        ``WIDTH_SAMPLE`` rows: a longer one is written already).

        ``chart`` has ``kind`` (``column``, ``bar``, ``line``), ``title``, ``series`` (column indexes) and
        ``stacked``; it plots the table of ``rows`` rows on sheet ``table``: its first column as categories,
        each series a column.
        """
        number = self.names.index(sheet) + 1
        if number not in self.kept:
            raise ValueError(f"sheet {sheet!r} has {WIDTH_SAMPLE} rows or more: it is written, charts go elsewhere")
        drawn = xlsx.chart(chart.kind, str(chart.title), chart.stacked, table, rows, tuple(chart.series))
        self.charts.setdefault(number, []).append((cell, drawn))

    def close(self) -> None:
        """Write the short sheets, their charts and the parts that tie the package together."""
        if not self.names:
            self.add_sheet("Sheet1", [], [])
        write = self.archive.writestr
        for number, xml in self.kept.items():
            tail = xlsx.sheet_tail(self.filters[number - 1], drawing=number in self.charts)
            write(f"xl/worksheets/sheet{number}.xml", xml + tail)
        charts = 0
        for drawing, (number, drawn) in enumerate(self.charts.items(), start=1):
            links = [("chart", f"../charts/chart{charts + n}.xml") for n in range(1, len(drawn) + 1)]
            write(
                f"xl/worksheets/_rels/sheet{number}.xml.rels",
                xlsx.relationships(("drawing", f"../drawings/drawing{drawing}.xml")),
            )
            write(f"xl/drawings/drawing{drawing}.xml", xlsx.drawing([cell for cell, _xml in drawn], *CHART_SIZE))
            write(f"xl/drawings/_rels/drawing{drawing}.xml.rels", xlsx.relationships(*links))
            for _cell, xml in drawn:
                charts += 1
                write(f"xl/charts/chart{charts}.xml", xml)
        sheets = [("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(self.names) + 1)]
        write("xl/workbook.xml", xlsx.workbook(self.names, self.filters))
        write("xl/_rels/workbook.xml.rels", xlsx.relationships(*sheets, ("styles", "styles.xml")))
        write("xl/styles.xml", xlsx.STYLES)
        write("[Content_Types].xml", xlsx.content_types(len(self.names), len(self.charts), charts))
        write("_rels/.rels", xlsx.relationships(("officeDocument", "xl/workbook.xml")))
        self.archive.close()


def _table_range(letters: list[str], rows: int) -> str:
    """The cells of a header and ``rows`` rows under it: ``A1:L201``."""
    return f"A1:{letters[-1] if letters else 'A'}{rows + 1}"


#: The style of an empty or numeric cell of each kind of column (a date is a date whatever its column).
CELL_STYLES = {DATE: f' s="{xlsx.DATE_STYLE}"', DATETIME: f' s="{xlsx.DATETIME_STYLE}"', YEN: f' s="{xlsx.YEN_STYLE}"'}
BOLD = f' s="{xlsx.BOLD}"'
#: Rows written to the zip at once.
ROWS_PER_WRITE = 500
#: A chart's width and height in pixels.
CHART_SIZE = (720, 360)

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
