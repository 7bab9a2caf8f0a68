"""Closing a month: sequential numbers, tax per rate rounded once, issued documents, nothing edited after."""

import io
from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from pypdf import PdfReader

from backoffice.registry import registry
from billing.closing import close_month
from billing.corrections import correct_line
from billing.models import BillingMonth, Invoice, InvoiceCounter, InvoiceLine, MonthState, SourcesTold
from billing.run import billing_month, run_month
from billing.signals import charges_invoiced
from billing.sources import Charge, FeeKind
from tests import factories as f

from .helpers import bill, bill_and_close, in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def charges():
    """``charges(customer, *amounts)``: a test source offering those one-time charges in every month."""
    offered = []

    def source(period):
        return [c for c in offered if c.occurred_on <= period.last_day]

    def add(customer, *amounts, on=D(2025, 2, 10)):
        for amount in amounts:
            offered.append(Charge(f"t:{len(offered)}", customer.pk, FeeKind.ONE_TIME, f"作業{amount}", amount, on))

    with registry.kept("charge_sources"):
        registry.register("charge_sources", source, name="tests.fixed")
        yield add


def test_numbers_follow_without_gaps_across_months_in_customer_order():
    customers = sorted((f.customer() for _ in range(3)), key=lambda c: c.code)
    for cust in customers:
        in_service(cust=cust, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    bill_and_close(2025, 2)
    bill_and_close(2025, 3)
    numbers = list(Invoice.objects.order_by("number").values_list("number", "month__month", "customer__code"))
    assert [n for n, _, _ in numbers] == [1, 2, 3, 4, 5, 6]
    assert [code for _, _, code in numbers[:3]] == [c.code for c in customers]
    assert InvoiceCounter.objects.get().last_number == 6


def test_tax_is_rounded_down_once_per_rate_per_invoice_not_per_line(charges):
    cust = f.customer()
    charges(cust, 333, 333, 334)  # per line: 33 + 33 + 33 = 99; on the total: 1,000 × 10% = 100
    month = bill_and_close(2025, 2)
    invoice = Invoice.objects.get(month=month)
    assert (invoice.subtotal, invoice.tax, invoice.total) == (1_000, 100, 1_100)
    assert list(invoice.taxes.values_list("rate", "taxable", "tax")) == [(10, 1_000, 100)]


def test_closing_records_each_invoice_and_tax_as_issued_in_their_history(charges, staff):
    first, second = f.customer(), f.customer()
    charges(first, 1_000)
    charges(second, 2_000, 500)
    month = bill(2025, 2)
    close_month(month, by=staff, issued_on=D(2025, 3, 1))
    for invoice in Invoice.objects.filter(month=month):
        issued = invoice.history.get(history_type="~")
        assert (issued.number, issued.total, issued.issued_on) == (invoice.number, invoice.total, D(2025, 3, 1))
        assert issued.history_user == staff and "closed" in issued.history_change_reason
        tax = invoice.taxes.get()
        assert tax.history.get(history_type="+").history_user == staff
    assert Invoice.history.filter(history_type="~").count() == 2


def test_each_rate_has_its_own_total_and_tax(charges):
    cust = f.customer()
    charges(cust, 999)
    charges(cust, 1_999, on=D(2019, 9, 30))  # a late charge of a day taxed at 8%
    month = bill(2025, 2)
    close_month(month, issued_on=D(2025, 3, 1))
    invoice = Invoice.objects.get(month=month)
    assert list(invoice.taxes.order_by("-rate").values_list("rate", "taxable", "tax")) == [
        (10, 999, 99),
        (8, 1_999, 159),
    ]
    assert invoice.tax == 99 + 159


@override_settings(INVOICE_ISSUER_NAME="株式会社テスト通信", INVOICE_REGISTRATION_NUMBER="T9876543210987")
def test_the_qualified_invoice_pdf_shows_its_japanese_text(charges):
    cust = f.customer(name="山田商事株式会社")
    charges(cust, 12_345)
    month = bill_and_close(2025, 2)
    invoice = Invoice.objects.select_related("document").get(month=month)
    document = invoice.document
    assert document.intact()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(document.pdf))).pages)
    for expected in ("山田商事株式会社", "適格請求書", "T9876543210987", "株式会社テスト通信", "1,234円", "10%"):
        assert expected in text, expected
    assert "@page" in document.html and "A4" in document.html
    assert (invoice.issuer_name, invoice.issuer_registration_number) == ("株式会社テスト通信", "T9876543210987")
    assert invoice.due_on > invoice.issued_on


def test_closing_tells_the_sources_which_keys_were_invoiced(charges, django_capture_on_commit_callbacks):
    cust = f.customer()
    charges(cust, 500)
    month = bill(2025, 2)
    heard = []
    charges_invoiced.connect(lambda sender, lines, **kw: heard.append((sender, lines)), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            close_month(month, issued_on=D(2025, 3, 2))
    finally:
        charges_invoiced.disconnect(dispatch_uid="t")
    [(period, lines)] = heard
    assert period.first_day == D(2025, 2, 1)
    assert lines == {"t:0": (1, D(2025, 3, 2))}


def test_a_failing_receiver_stops_no_other_undoes_nothing_and_is_told_again(
    charges, django_capture_on_commit_callbacks
):
    cust = f.customer()
    charges(cust, 1_000)
    heard = []

    def failing(sender, lines, **kwargs):
        raise RuntimeError("the app's database is down")

    charges_invoiced.connect(failing, weak=False, dispatch_uid="t.failing")
    charges_invoiced.connect(lambda sender, lines, **kw: heard.append(set(lines)), weak=False, dispatch_uid="t.ok")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            month = bill_and_close(2025, 2)
        assert month.is_closed
        assert heard == [{"t:0"}]
        assert not SourcesTold.objects.filter(month=month).exists()
        charges_invoiced.disconnect(dispatch_uid="t.failing")
        bill(2025, 3)  # the next run tells the month again
    finally:
        charges_invoiced.disconnect(dispatch_uid="t.failing")
        charges_invoiced.disconnect(dispatch_uid="t.ok")
    assert heard == [{"t:0"}, {"t:0"}]
    assert SourcesTold.objects.filter(month=month).exists()


def test_a_closed_month_refuses_every_change(charges):
    cust = f.customer()
    charges(cust, 500)
    month = bill_and_close(2025, 2)
    invoice = Invoice.objects.get(month=month)
    line = invoice.lines.get()
    invoice.total = 1
    with pytest.raises(ValidationError, match="closed"):
        invoice.save()
    line.amount = 1
    with pytest.raises(ValidationError, match="closed"):
        line.save()
    with pytest.raises(ValidationError, match="closed"):
        InvoiceLine(
            invoice=invoice, month=month, source_key="x", kind=FeeKind.ONE_TIME, amount=1, tax_rate=10
        ).full_clean()
    with pytest.raises(ValidationError, match="closed"):
        run_month(month)
    with pytest.raises(ValidationError, match="already closed"):
        close_month(month, issued_on=D(2025, 3, 1))
    with pytest.raises(ValidationError):
        invoice.document.save()
    assert Invoice.objects.get().total == 550


def test_an_issue_date_inside_the_month_is_refused(charges):
    charges(f.customer(), 500)
    month = bill(2025, 2)
    with pytest.raises(ValidationError, match="after its last day"):
        close_month(month, issued_on=D(2025, 2, 27))
    assert BillingMonth.objects.get().state == MonthState.OPEN


def test_a_correction_is_an_adjustment_line_in_the_next_open_month(charges, staff):
    cust = f.customer()
    charges(cust, 10_000)
    february = bill_and_close(2025, 2)
    original = InvoiceLine.objects.get(month=february)
    adjustment = correct_line(original, new_amount=8_000, reason="作業時間の誤り", by=staff)
    assert (adjustment.month.month, adjustment.amount, adjustment.adjusts) == (D(2025, 3, 1), -2_000, original)
    assert adjustment.kind == FeeKind.ADJUSTMENT and adjustment.history.get().history_user == staff
    again = correct_line(original, new_amount=9_000, reason="再確認", by=staff)  # against 8,000 charged so far
    assert again.amount == 1_000 and again.source_key == f"adjustment:{original.pk}:2"
    with pytest.raises(ValidationError, match="already charged"):
        correct_line(original, new_amount=9_000, reason="同額")
    with pytest.raises(ValidationError):
        correct_line(original, new_amount=1, reason=" ")
    original.refresh_from_db()
    assert original.amount == 10_000
    march = billing_month(2025, 3)
    run_month(march)  # the run keeps the adjustments and adds the month's charges beside them
    close_month(march, issued_on=D(2025, 4, 1))
    invoice = Invoice.objects.get(month=march)
    assert invoice.subtotal == -1_000 and invoice.tax == -100
