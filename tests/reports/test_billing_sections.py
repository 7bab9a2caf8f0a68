"""The report's billing sections: revenue by service and fee kind, and tax per rate, equal to the invoices."""

from datetime import date

import pytest
from django.db.models import Sum

from billing.closing import close_month
from billing.models import Invoice, InvoiceLine
from billing.sources import FeeKind
from contracts.choices import ServiceCode
from tests.billing.helpers import bill, bill_and_close, ended, in_service

from .files import workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed_march(today, staff):
    """March 2025 billed: two CXM2 contracts (one started in March, an initial fee), a Managed Router ended
    early in March (a settlement), a Cloud Proxy parent."""
    today(date(2025, 6, 1))
    in_service(ServiceCode.CXM2, accepted_on=date(2025, 1, 10), billing_on=date(2025, 1, 15))
    in_service(ServiceCode.CXM2, accepted_on=date(2025, 3, 3), billing_on=date(2025, 3, 10))
    router = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=date(2025, 1, 10), billing_on=date(2025, 1, 15))
    ended(router, on=date(2025, 3, 20))
    for month in (1, 2):
        bill_and_close(2025, month, by=staff)
    bill_and_close(2025, 3, by=staff)
    return Invoice.objects.filter(month__month=date(2025, 3, 1))


def test_revenue_by_service_and_fee_kind_adds_up_to_the_invoices(billed_march, tmp_path, english):
    book = workbook(tmp_path)
    rows = [[cell.value for cell in row] for row in book["Revenue by service"].iter_rows()]
    header, body = rows[0], rows[1:]
    assert header[0] == "Service" and header[-1] == "Total before tax (yen)"
    assert header[1 : 1 + len(FeeKind.labels)] == [str(label) for label in FeeKind.labels]
    invoices = billed_march.aggregate(subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"))
    assert invoices["subtotal"] > 0
    assert sum(row[-1] for row in body) == invoices["subtotal"]
    lines = InvoiceLine.objects.filter(invoice__in=billed_march)
    for n, kind in enumerate(FeeKind.values, start=1):
        assert sum(row[n] for row in body) == (lines.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or 0), kind
    by_service = {row[0]: row for row in body}
    settlement = header.index(str(FeeKind.SETTLEMENT.label))
    assert by_service["Managed Router Service"][settlement] > 0
    assert by_service["IIJ Cloud Exchange Service / Type M2"][header.index(str(FeeKind.INITIAL.label))] > 0


def test_an_open_month_shows_the_running_figures_closing_then_issues(today, staff, tmp_path):
    today(date(2025, 6, 1))
    in_service(ServiceCode.CXM2, accepted_on=date(2025, 3, 3), billing_on=date(2025, 3, 10))
    march = bill(2025, 3, by=staff)
    rows = [[cell.value for cell in row] for row in workbook(tmp_path)["Tax per rate"].iter_rows()]
    close_month(march, by=staff, issued_on=date(2025, 3, 31))
    totals = Invoice.objects.aggregate(subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"))
    assert totals["total"] > 0
    provisional = "All rates (provisional: the month is not closed)"
    assert rows[-1] == [provisional, totals["subtotal"], totals["tax"], totals["total"]]


def test_tax_per_rate_adds_up_to_the_invoices_totals(billed_march, tmp_path):
    rows = [[cell.value for cell in row] for row in workbook(tmp_path)["Tax per rate"].iter_rows()]
    *rates, invoices = rows[1:]
    assert rates and invoices[0] == "All rates (the invoices' totals)"
    totals = billed_march.aggregate(subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"))
    assert invoices[1:] == [totals["subtotal"], totals["tax"], totals["total"]]
    assert [sum(row[n] for row in rates) for n in (1, 2, 3)] == invoices[1:]


def test_the_summary_has_the_invoices_and_a_stacked_revenue_chart(billed_march, tmp_path):
    summary = workbook(tmp_path).worksheets[0]
    figures = {row[0].value: (row[1].value, row[2].value) for row in summary.iter_rows(min_row=2)}
    totals = billed_march.aggregate(total=Sum("total"))
    assert figures["Invoices (total with tax)"] == (billed_march.count(), totals["total"])
    kinds = sorted(chart.tagname for chart in summary._charts)
    assert kinds == ["barChart", "lineChart"]
    revenue = next(chart for chart in summary._charts if chart.tagname == "barChart")
    assert revenue.grouping == "stacked" and len(revenue.series) == 4


def test_the_dashboard_draws_the_revenue_chart(billed_march, login_as_role):
    html = login_as_role("billing").get("/admin/reports/", {"month": "2025-03"}).content.decode()
    assert html.count('role="img" class="report-chart"') == 2
    assert "Revenue by service and fee kind" in html
