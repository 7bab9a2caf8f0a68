"""Honest screens: an open invoice shows its running figures, as closing would issue them, marked as such."""

from datetime import date as D

import pytest
from django.utils.html import escape

from backoffice.display import yen
from backoffice.registry import registry
from billing.closing import close_month
from billing.models import BillingMonth, Invoice, InvoiceLine
from billing.run import run_month
from billing.sources import Charge, FeeKind
from tests import factories as f
from tests.admin.conftest import change_url, changelist_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

#: Per line the tax would be 33 + 33 + 33 + 159 = 258; once per rate it is 100 + 159 = 259.
LINES = [(333, 10), (333, 10), (334, 10), (1_999, 8)]


def _open_invoice(month: BillingMonth, lines=LINES) -> Invoice:
    period = month.period
    invoice = Invoice.objects.create(
        customer=f.customer(), month=month, period_start=period.first_day, period_end=period.last_day
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            month=month,
            source_key=f"t:{invoice.pk}:{n}",
            kind=FeeKind.ONE_TIME,
            description=f"作業{n}",
            occurred_on=period.last_day,
            amount=amount,
            tax_rate=rate,
        )
        for n, (amount, rate) in enumerate(lines)
    )
    return invoice


@pytest.fixture
def offered():
    """What a test source offers; the only source while the test runs."""
    offered = []
    with registry.kept("charge_sources"):
        registry.register("charge_sources", lambda period: offered, name="tests.fixed")
        yield offered


def _billed_invoice(month: BillingMonth, offered: list) -> Invoice:
    """``LINES`` billed by the run from a test source (the 8% one dated on the old rate's last day), so
    closing finds the month current."""
    customer = f.customer()
    dates = {10: month.period.last_day, 8: D(2019, 9, 30)}
    offered += [
        Charge(f"t:{n}", customer.pk, FeeKind.ONE_TIME, f"作業{n}", amount, dates[rate])
        for n, (amount, rate) in enumerate(LINES)
    ]
    run_month(month)
    return Invoice.objects.get(month=month)


def _estimate(amount: int) -> str:
    return f'{escape(yen(amount))} <span class="estimate">(provisional)</span>'


@pytest.fixture
def month():
    return BillingMonth.objects.create(month=D(2025, 2, 1))


def test_the_list_shows_an_open_invoice_as_closing_will_issue_it(staff_client, month, offered):
    invoice = _billed_invoice(month, offered)
    shown = staff_client.get(changelist_url(Invoice)).content.decode()
    close_month(month, issued_on=D(2025, 3, 1))
    invoice.refresh_from_db()
    assert (invoice.subtotal, invoice.tax, invoice.total) == (2_999, 259, 3_258)
    for amount in (invoice.subtotal, invoice.tax, invoice.total):
        assert _estimate(amount) in shown
    issued = staff_client.get(changelist_url(Invoice)).content.decode()
    assert "provisional" not in issued and escape(yen(invoice.total)) in issued


def test_the_invoice_page_shows_the_open_invoices_figures_as_it_would_be_issued(staff_client, month, offered):
    invoice = _billed_invoice(month, offered)
    page = staff_client.get(change_url(invoice)).content.decode()
    close_month(month, issued_on=D(2025, 3, 1))
    assert "As it would be issued" in page and "not issued yet" in page
    for tax in Invoice.objects.get().taxes.all():  # the rows closing stored, each shown before
        row = f"<th>{tax.rate}% items</th><td>{escape(yen(tax.taxable))}</td><td>{escape(yen(tax.tax))}</td>"
        assert row in page
    assert _estimate(3_258) in page
    issued = staff_client.get(change_url(invoice)).content.decode()
    assert "As it would be issued" not in issued and '<div class="readonly">3,258</div>' in issued


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_number_of_open_invoices(
    staff_client, month, django_assert_max_num_queries
):
    for _ in range(5):
        _open_invoice(month)
    staff_client.get(changelist_url(Invoice))  # the session and permissions, once
    with django_assert_max_num_queries(10) as five:  # with the sign-in checks of every request
        assert staff_client.get(changelist_url(Invoice)).context["cl"].result_count == 5
    for _ in range(45):
        _open_invoice(month)
    with django_assert_max_num_queries(len(five)):
        assert staff_client.get(changelist_url(Invoice)).context["cl"].result_count == 50


def test_the_list_is_ordered_by_the_amount_before_tax_shown(staff_client, month):
    small, large = _open_invoice(month, [(100, 10)]), _open_invoice(month, [(900, 10)])
    for order, expected in (("6", [small, large]), ("-6", [large, small])):
        listed = staff_client.get(changelist_url(Invoice), {"o": order}).context["cl"].result_list
        assert list(listed) == expected


def test_the_customer_page_shows_an_open_invoices_running_total_marked_provisional(staff_client, month, offered):
    invoice = _billed_invoice(month, offered)
    page = staff_client.get(change_url(invoice.customer)).content.decode()
    assert _estimate(3_258) in page  # not 0 yen: the tax once per rate, as closing will issue it
    close_month(month, issued_on=D(2025, 3, 1))
    issued = staff_client.get(change_url(invoice.customer)).content.decode()
    assert "provisional" not in issued and escape(yen(3_258)) in issued


def test_the_monthly_report_gives_an_open_months_running_figures_labelled_provisional(month, offered):
    from reports.sections import billing as report

    _billed_invoice(month, offered)
    figures = {str(f.label): (f.count, f.amount) for f in report.figures(month.period)}
    assert figures["Invoices (total with tax) (provisional: the month is not closed)"] == (1, 3_258)
    assert figures["Revenue before tax (provisional: the month is not closed)"] == (None, 2_999)
    rows = report.taxes(month.period).materialised()
    assert rows == [
        ["8%", 1_999, 159, 2_158],
        ["10%", 1_000, 100, 1_100],
        ["All rates (provisional: the month is not closed)", 2_999, 259, 3_258],
    ]
    close_month(month, issued_on=D(2025, 3, 1))
    issued = {str(f.label): (f.count, f.amount) for f in report.figures(month.period)}
    assert issued["Invoices (total with tax)"] == (1, 3_258)
    assert report.taxes(month.period).materialised()[-1] == ["All rates (the invoices' totals)", 2_999, 259, 3_258]
