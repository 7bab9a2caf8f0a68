"""Writing a report: an Excel workbook (a sheet a section, the charts on the summary) or a zip of CSV
files (a file a section, charts left out). Both stream: rows go from the database to the file as read."""

import zipfile
from collections.abc import Callable, Iterable
from itertools import batched

from django.db import connections
from django.utils.text import capfirst

from backoffice.exports import Column, XlsxBook, copy_csv_lines, csv_lines

from .report import Report

#: Rows between two calls of the progress callback.
TICK = 1000
#: CSV lines written to the zip at once (one write a line costs more than the line).
LINES_PER_WRITE = 1000

Progress = Callable[[int], None]


def counted(rows: Iterable, progress: Progress | None) -> Iterable:
    """``rows`` unchanged, telling ``progress`` how many went by, ``TICK`` at a time."""
    if progress is None:
        yield from rows
        return
    n = 0
    for n, row in enumerate(rows, start=1):
        yield row
        if n % TICK == 0:
            progress(TICK)
    progress(n % TICK)


def headed(columns) -> list[Column]:
    """The columns with their labels capitalised, as headers read (the labels are the fields' own)."""
    return [Column(capfirst(str(column.label)), column.kind) for column in columns]


def write_xlsx(report: Report, target, progress: Progress | None = None) -> None:
    """The report as a workbook at ``target`` (a path or a binary file), the summary's charts beside its figures."""
    book = XlsxBook(target)
    written = {
        section.key: book.add_sheet(str(section.title), headed(section.columns), counted(section.rows(), progress))
        for section in report.sections
    }
    summary = written[report.sections[0].key][0]
    for n, section in enumerate(report.charted):
        book.add_chart(summary, f"E{2 + 20 * n}", section.chart, *written[section.key])
    book.close()


def write_csv_zip(report: Report, target, progress: Progress | None = None) -> None:
    """The report as a zip at ``target`` of one CSV file a section (UTF-8 with a BOM, CRLF), in report order."""
    # The fastest deflate level: CSV text still shrinks about twentyfold, at a third of the default's time.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n, section in enumerate(report.sections, start=1):
            with archive.open(f"{n:02d}_{section.key}.csv", "w", force_zip64=True) as member:
                for chunk in _csv_chunks(section, progress):
                    member.write(chunk)


def _csv_chunks(section, progress: Progress | None) -> Iterable[bytes]:
    """The section as CSV bytes: written by PostgreSQL itself when the section is one query, else line by line."""
    columns = headed(section.columns)
    if section.values is not None and connections[section.values.db].vendor == "postgresql":
        yield from copy_csv_lines(columns, section.values, progress)
        return
    for lines in batched(csv_lines(columns, counted(section.rows(), progress)), LINES_PER_WRITE):
        yield "".join(lines).encode("utf-8")


WRITERS = {"xlsx": write_xlsx, "csv": write_csv_zip}
FORMATS = tuple(WRITERS)


def write(report: Report, fmt: str, target, progress: Progress | None = None) -> None:
    WRITERS[fmt](report, target, progress)


__all__ = ["FORMATS", "write", "write_csv_zip", "write_xlsx"]
