"""CSV and Excel exports: formula-like text neutralised, typed cells, streaming."""

import io
from datetime import date, datetime

import openpyxl
import pytest

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
