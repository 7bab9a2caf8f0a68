"""The monthly report as files: sheets, headers, types and totals checked against the data the test made."""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from backoffice.display import month_text
from backoffice.months import Month
from billing.settlement import settlement_for
from contracts.choices import ServiceCode
from contracts.models import ChangeKind, ContractChange
from contracts.services import lifecycle
from reports.sections import monthly_report
from reports.writers import write
from tests import factories

from .conftest import HOSTILE
from .files import export, table

pytestmark = pytest.mark.django_db

MARCH = Month(2025, 3)
SHEETS_JA = [
    "概要 2025年3月",
    "品目別の有効契約",
    "有効契約の推移 (12か月)",
    "有効契約",
    "新規契約",
    "変更契約",
    "終了契約",
]


def by_first_column(rows) -> dict:
    return {row[0]: row[1:] for row in rows[1:]}


def test_the_workbook_has_a_sheet_a_section_the_summary_first(march, tmp_path):
    book = openpyxl.load_workbook(export(tmp_path))
    assert book.sheetnames[: len(SHEETS_JA)] == SHEETS_JA
    assert "サービス別オプション" in book.sheetnames
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert len(sheet.title) <= 31


def test_summary_figures_count_the_month(march, tmp_path):
    summary = openpyxl.load_workbook(export(tmp_path, lang="en")).worksheets[0]
    rows = table(summary)
    assert rows[0] == ["Figure", "Count", "Amount (yen)"]
    figures = by_first_column(rows)
    assert figures["Contracts in force at month end (monthly fees)"] == [2, 120_000]  # A and B
    assert figures["New contracts (accepted in the month)"] == [1, None]  # B
    assert figures["Ended contracts (last day of service in the month)"] == [1, None]  # C
    assert figures["Changes accepted (one-time fees)"] == [1, 10_000]
    assert figures["Options in force at month end (monthly fees)"] == [1, 8_000]
    assert summary["C2"].number_format == "#,##0"


def test_the_summary_carries_a_native_chart_of_the_trend(march, tmp_path):
    summary = openpyxl.load_workbook(export(tmp_path)).worksheets[0]
    (chart,) = [chart for chart in summary._charts if chart.tagname == "lineChart"]
    assert len(chart.series) == 5  # a line a service
    assert "有効契約の推移" in chart.series[0].val.numRef.f


def test_the_trend_counts_contracts_in_force_at_each_month_end(march, tmp_path):
    sheet = openpyxl.load_workbook(export(tmp_path, lang="en"))["In force, 12 months"]
    rows = table(sheet)
    assert rows[0][0] == "Month" and rows[0][-1] == "Total"
    with translation.override("en"):  # a month as staff write it, in the report's language
        assert [row[0] for row in rows[1:]] == [month_text(Month(2024, 4).shifted(n)) for n in range(12)]
    managed_router = rows[0].index("Managed Router Service")
    months = by_first_column(rows)
    assert months["January 2025"][-1] == 2  # A and C
    assert months["February 2025"][managed_router - 1] == 1  # C
    assert months["March 2025"][managed_router - 1] == 0  # C ended on the 20th
    assert months["March 2025"][-1] == 2  # A and B
    assert months["December 2024"][-1] == 0


def test_contract_lists_are_typed_and_neutralise_formulas(march, tmp_path):
    book = openpyxl.load_workbook(export(tmp_path))
    rows = table(book["有効契約"])
    assert rows[0][:3] == ["契約番号", "契約者番号", "契約者"]
    numbers = {row[0]: row for row in rows[1:]}
    assert set(numbers) == {march["a"].number, march["b"].number}
    a = book["有効契約"][[row[0] for row in rows].index(march["a"].number) + 1]
    assert a[2].value == HOSTILE and a[2].data_type == "s"  # a string cell is never a formula: no prefix
    assert a[6].is_date and a[6].value.date() == date(2025, 1, 10)  # accepted on
    assert a[11].value == 60_000 and a[11].number_format == "#,##0"
    assert numbers[march["a"].number][5] == "提供中"
    ended = table(book["終了契約"])
    assert [row[0] for row in ended[1:]] == [march["c"].number]
    assert ended[1][9].date() == date(2025, 3, 20)
    assert ended[0][-1] == "最低利用期間内解除調定金"
    assert ended[1][-1] == 0  # waived: ended by the provider (general terms art. 28 ¶2)
    assert [row[0] for row in table(book["新規契約"])[1:]] == [march["b"].number]


def test_changes_and_options_by_service(march, tmp_path):
    book = openpyxl.load_workbook(export(tmp_path, lang="en"))
    changes = table(book["Changed contracts"])
    assert changes[1][1:3] == [march["a"].number, HOSTILE]
    assert changes[1][-1] == 10_000
    options = table(book["Options by service"])
    assert options[1][2:] == [1, 8_000]
    by_item = table(book["In force by item"])
    assert sum(row[2] for row in by_item[1:]) == 2
    assert sum(row[3] for row in by_item[1:]) == 120_000


def test_the_csv_zip_has_a_file_a_section_with_a_bom_and_crlf(march, tmp_path):
    with zipfile.ZipFile(export(tmp_path, fmt="csv")) as archive:
        names = archive.namelist()
        assert names[0] == "01_summary.csv"
        assert "04_contracts_in_force.csv" in names
        text = archive.read("04_contracts_in_force.csv").decode("utf-8")
    assert text.startswith("\ufeff契約番号,契約者番号,契約者")
    assert text.count("\r\n") == 3  # the header and A and B
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    a = next(row for row in rows if row[0] == march["a"].number)
    assert a[2] == "'" + HOSTILE
    assert a[6] == "2025-01-10" and a[11] == "60000"


def test_an_empty_month_has_every_sheet_with_its_header(db, tmp_path):
    book = openpyxl.load_workbook(export(tmp_path, month="2030-01"))
    assert book["有効契約"].max_row == 1
    assert table(book.worksheets[0])[1][1] == 0


@pytest.mark.parametrize("month", ["2025-13", "25-03", "abc", "1899-12", "２０２５-０３x", ""])
def test_a_bad_month_is_refused_by_the_command(month, tmp_path):
    with pytest.raises(CommandError):
        export(tmp_path, month=month)


def test_a_report_reads_a_number_of_queries_that_does_not_grow_with_the_month(march, staff, tmp_path):
    def queries() -> int:
        with translation.override("ja"), CaptureQueriesContext(connection) as captured:
            write(monthly_report(MARCH), "xlsx", tmp_path / "r.xlsx")
        return len(captured)

    before = queries()
    for _ in range(10):
        contract = factories.contract(ServiceCode.CXM2)
        factories.activate(contract, accepted_on=date(2025, 3, 5), billing_on=date(2025, 3, 6), by=staff)
        option = factories.option(contract, "cxm2.napt")
        factories.activate(option, accepted_on=date(2025, 3, 6), billing_on=date(2025, 3, 6), by=staff)
    assert queries() == before


def test_libreoffice_converts_the_workbook(march, tmp_path):
    """A real spreadsheet client opens the file (skipped where LibreOffice is not installed)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = export(tmp_path)
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        timeout=180,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert source.with_suffix(".pdf").stat().st_size > 1000


def test_an_early_customer_end_carries_its_settlement(march, staff, tmp_path):
    f_ = factories.activate(factories.contract(ServiceCode.MANAGED_ROUTER), by=staff)  # 12 months minimum
    lifecycle.register_notice(f_, received_on=date(2025, 2, 1), requested_on=date(2025, 3, 25), by=staff)
    lifecycle.terminate(f_, on=date(2025, 3, 25), by=staff)
    f_.refresh_from_db()
    expected = settlement_for(f_, f_.terminated_on).amount
    assert expected > 0
    ended = by_first_column(table(openpyxl.load_workbook(export(tmp_path))["終了契約"]))
    assert ended[f_.number][-1] == expected
    assert ended[march["c"].number][-1] == 0


def test_a_changed_number_is_a_number_in_the_sheet(march, tmp_path):
    ContractChange.objects.create(
        contract=march["a"], kind=ChangeKind.ROUTE, accepted_on=date(2025, 3, 16), old_value="100", new_value="1000"
    )
    changes = table(openpyxl.load_workbook(export(tmp_path, lang="en"))["Changed contracts"])
    assert [row[5:7] for row in changes[1:]] == [["x", "y"], [100, 1000]]
