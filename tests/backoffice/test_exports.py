"""CSV and Excel exports: formula-like text neutralised, typed cells, streaming."""

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from backoffice.exports import (
    DATE,
    DATETIME,
    NUMBER,
    YEN,
    Column,
    XlsxBook,
    csv_lines,
    csv_response,
    safe_cell,
    sheet_name,
    write_xlsx,
    xlsx_response,
)
from backoffice.xlsx import quoted_sheet, serial

COLUMNS = [Column("contract"), Column("billing start", DATE), Column("monthly fee", YEN), Column("lines", NUMBER)]
ROWS = [
    ["C-0001", date(2025, 1, 15), 30000, 10],
    ['=HYPERLINK("http://evil")', None, -500, 2],
    ["@SUM(A1)", date(2025, 2, 1), 0, 0],
]


@pytest.mark.parametrize("text", ["=1+1", "+81-3", "-2", "@cmd", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["株式会社テスト", "C-1", "", -5, 3.5, None, date(2025, 1, 1)])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_csv_date_times_are_to_the_second():
    columns = [Column("recorded at", DATETIME)]
    text = "".join(csv_lines(columns, [[datetime(2026, 11, 10, 10, 0, 5, 123456)]]))
    assert text.split("\r\n")[1] == "2026-11-10 10:00:05"


def test_csv_starts_with_a_bom_ends_lines_with_crlf_and_keeps_numbers_numeric():
    text = "".join(csv_lines(COLUMNS, ROWS))
    assert text.startswith("\ufeffcontract,billing start,monthly fee,lines\r\n")
    lines = text.split("\r\n")
    assert lines[1] == "C-0001,2025-01-15,30000,10"
    assert lines[2] == '"\'=HYPERLINK(""http://evil"")",,-500,2'
    assert lines[3].startswith("'@SUM(A1),")
    assert lines[-1] == ""


def test_csv_is_produced_one_row_at_a_time():
    def rows():
        yield ["a", None, 1, 1]
        raise AssertionError("read only when the client asks for more")

    lines = csv_lines(COLUMNS, rows())
    assert next(lines).startswith("\ufeff")
    assert next(lines) == "a,,1,1\r\n"


def test_csv_response_streams_with_a_japanese_file_name():
    response = csv_response("請求_2025-01.csv", COLUMNS, ROWS)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode("utf-8").startswith("\ufeffcontract")


def _read_back(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_cells_are_typed_and_text_is_neutralised():
    target = io.BytesIO()
    write_xlsx(target, COLUMNS, ROWS, sheet="2025-01")
    sheet = _read_back(target.getvalue())
    assert sheet.title == "2025-01"
    assert [c.value for c in sheet[1]] == ["contract", "billing start", "monthly fee", "lines"]
    assert sheet["B2"].value.date() == date(2025, 1, 15)
    assert sheet["B2"].is_date
    assert sheet["B2"].number_format == "yyyy/m/d"  # as staff write a date: 2025/1/15
    assert sheet["C2"].value == 30000
    assert isinstance(sheet["C2"].value, int)
    assert sheet["C2"].number_format == "#,##0"
    assert sheet["D2"].value == 10
    assert sheet["A3"].value == '=HYPERLINK("http://evil")'  # a string cell: text, never a formula
    assert sheet["A3"].data_type == "s"
    assert sheet["B3"].value is None
    assert sheet["C3"].value == -500
    assert sheet["A4"].value == "@SUM(A1)"


def test_xlsx_header_is_frozen_and_filters():
    target = io.BytesIO()
    write_xlsx(target, COLUMNS, ROWS)
    sheet = _read_back(target.getvalue())
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D4"


def test_xlsx_of_no_rows_has_its_header():
    target = io.BytesIO()
    write_xlsx(target, COLUMNS, [])
    sheet = _read_back(target.getvalue())
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:D1"


def test_xlsx_response_is_a_download():
    response = xlsx_response("請求.xlsx", COLUMNS, ROWS)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = _read_back(b"".join(response.streaming_content))
    assert sheet["C2"].value == 30000


def test_rows_beyond_a_sheet_continue_on_a_numbered_sheet():
    target = io.BytesIO()
    book = XlsxBook(target, max_rows=2)
    assert book.add_sheet("契約", COLUMNS, ROWS) == ("契約", 3)
    book.close()
    workbook = openpyxl.load_workbook(io.BytesIO(target.getvalue()))
    assert workbook.sheetnames == ["契約", "契約 (2)"]
    assert [c.value for c in workbook["契約 (2)"][1]] == ["contract", "billing start", "monthly fee", "lines"]
    assert workbook["契約 (2)"]["A2"].value == "@SUM(A1)"


@pytest.mark.parametrize(
    ("name", "accepted"),
    [("a/b:c*d?[e]\\f", "a_b_c_d__e__f"), ("'quoted'", "quoted"), ("x" * 40, "x" * 31), ("", "Sheet")],
)
def test_sheet_names_are_made_acceptable_to_excel(name, accepted):
    assert sheet_name(name) == accepted


def test_sheet_names_are_unique_ignoring_case():
    book = XlsxBook(io.BytesIO())
    assert book.add_sheet("Summary", COLUMNS, [])[0] == "Summary"
    assert book.add_sheet("SUMMARY", COLUMNS, [])[0] == "SUMMARY (2)"
    book.close()


def test_a_chart_plots_a_table_of_another_sheet():
    target = io.BytesIO()
    book = XlsxBook(target)
    summary, _rows = book.add_sheet("Summary", COLUMNS[:1], [["x"]])
    data = book.add_sheet("Data", COLUMNS, ROWS)
    chart = type("Chart", (), {"kind": "column", "title": "Fees", "series": (2, 3), "stacked": True})
    book.add_chart(summary, "D2", chart, *data)
    book.close()
    (drawn,) = openpyxl.load_workbook(io.BytesIO(target.getvalue()))["Summary"]._charts
    assert drawn.grouping == "stacked"
    assert [s.val.numRef.f for s in drawn.series] == ["Data!$C$2:$C$4", "Data!$D$2:$D$4"]


def test_xlsx_text_is_text_as_excel_reads_it():
    """XML's specials, control characters and Excel's own ``_xHHHH_`` escapes come back as written; text
    longer than a cell holds is cut at Excel's limit."""
    texts = ["a\x01b", "c\rd", "_x0041_", " lead", "trail ", "<&>\"'", "tab\tnew\nline", "x" * 40_000, "<r>x</r>"]
    target = io.BytesIO()
    write_xlsx(target, [Column("text")], [[text] for text in texts])
    cells = [row[0] for row in _read_back(target.getvalue()).iter_rows(min_row=2)]
    assert [unescape(cell.value) for cell in cells] == [*texts[:7], "x" * 32_767, "<r>x</r>"]
    assert {cell.data_type for cell in cells} == {"s"}


def test_xlsx_other_values_are_numbers_date_times_or_their_text():
    columns = [Column("recorded at", DATETIME), Column("n", NUMBER), Column("other")]
    rows = [[datetime(2026, 11, 10, 10, 30, tzinfo=UTC), 2.5, True], [None, 7, Decimal("1.50")]]
    target = io.BytesIO()
    write_xlsx(target, columns, rows)
    sheet = _read_back(target.getvalue())
    assert sheet["A2"].value == datetime(2026, 11, 10, 10, 30)  # the time zone dropped, the wall time kept
    assert sheet["A2"].number_format == "yyyy/m/d h:mm"  # as staff write it: 2026/11/10 10:30
    assert sheet["B2"].value == 2.5 and sheet["B3"].value == 7 and sheet["B3"].number_format == "General"
    assert [sheet["C2"].value, sheet["C3"].value] == ["True", "1.50"]
    assert sheet["A1"].font.b and not sheet["A2"].font.b


def test_a_long_sheet_streams_into_the_file_as_its_rows_come():
    target, seen = io.BytesIO(), {}

    def rows():
        for n in range(1, 3001):
            if n == 3000:
                seen["bytes before the last row"] = target.tell()
            yield [f"C-{n:04d}", date(2025, 1, 1), n, n]

    book = XlsxBook(target)
    assert book.add_sheet("契約", COLUMNS, rows()) == ("契約", 3000)
    book.close()
    assert seen["bytes before the last row"] > 10_000
    sheet = _read_back(target.getvalue())
    assert [cell.value for cell in sheet[3001]] == ["C-3000", datetime(2025, 1, 1), 3000, 3000]
    assert sheet.auto_filter.ref == "A1:D3001"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 11  # a date is never shown as ###


def test_a_chart_goes_only_on_a_sheet_not_yet_written():
    book = XlsxBook(io.BytesIO())
    book.add_sheet("Data", COLUMNS, [["x", None, 1, 1]] * 1000)
    with pytest.raises(ValueError, match="charts go elsewhere"):
        book.add_chart("Data", "F2", type("Chart", (), {"kind": "line", "title": "t", "series": (2,)}), "Data", 1000)


def test_a_full_sheet_and_nothing_more_makes_no_empty_continuation():
    target = io.BytesIO()
    book = XlsxBook(target, max_rows=3)
    assert book.add_sheet("契約", COLUMNS, ROWS) == ("契約", 3)
    book.close()
    assert openpyxl.load_workbook(io.BytesIO(target.getvalue())).sheetnames == ["契約"]


def test_every_part_is_well_formed_and_declared():
    target = io.BytesIO()
    book = XlsxBook(target)
    summary, _rows = book.add_sheet("It's 概要", COLUMNS[:1], [["x"]])
    book.add_chart(
        summary, "D2", type("Chart", (), {"kind": "bar", "title": "<&>", "series": (2,), "stacked": 0}), summary, 1
    )
    book.close()
    with zipfile.ZipFile(target) as archive:
        parts = {name: ElementTree.fromstring(archive.read(name)) for name in archive.namelist()}
    declared = {part.get("PartName", "")[1:] for part in parts["[Content_Types].xml"]}
    assert {name for name in parts if not name.endswith(".rels")} - declared == {"[Content_Types].xml"}
    chart = ElementTree.tostring(parts["xl/charts/chart1.xml"], encoding="unicode")
    assert "'It''s 概要'!$C$2:$C$2" in chart and "&lt;&amp;&gt;" in chart


@pytest.mark.parametrize(("name", "quoted"), [("Data", "Data"), ("A1", "'A1'"), ("R", "'R'"), ("it's", "'it''s'")])
def test_a_formula_quotes_a_sheet_name_that_needs_it(name, quoted):
    assert quoted_sheet(name) == quoted


@pytest.mark.parametrize(
    ("value", "number"),
    [(date(1900, 1, 1), 1), (date(1900, 2, 28), 59), (date(1900, 3, 1), 61), (datetime(2025, 1, 1, 18), 45658.75)],
)
def test_dates_are_excels_serial_numbers_with_its_leap_day_of_1900(value, number):
    assert serial(value) == number


def test_a_spreadsheet_client_shows_dates_as_staff_write_them(tmp_path):
    """LibreOffice saves the cells as it shows them: 2025/1/15, 2026/11/10 9:05 (skipped where not installed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "dates.xlsx"
    with source.open("wb") as target:
        write_xlsx(
            target, [Column("day", DATE), Column("at", DATETIME)], [[date(2025, 1, 15), datetime(2026, 11, 10, 9, 5)]]
        )
    as_shown = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", as_shown, "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True,
        timeout=180,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    [written] = (tmp_path / "out").glob("*.csv")  # one file a sheet
    assert written.read_text().splitlines() == ["day,at", "2025/1/15,2026/11/10 9:05"]
