"""CSV and Excel exports: formula-like text neutralised, typed cells, streaming."""

import io
from datetime import date

import openpyxl
import pytest

from backoffice.exports import DATE, NUMBER, YEN, Column, csv_lines, csv_response, safe_cell, write_xlsx, xlsx_response

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
    assert sheet["A3"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A3"].data_type == "s"
    assert sheet["B3"].value is None
    assert sheet["C3"].value == -500
    assert sheet["A4"].value == "'@SUM(A1)"


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
