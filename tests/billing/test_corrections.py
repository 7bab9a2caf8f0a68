"""Corrections: a corrected qualified invoice (修正した適格請求書) names the invoice and line it corrects."""

import io
from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from pypdf import PdfReader

from backoffice.display import yen
from billing.admin.actions import preview_lines
from billing.closing import close_month
from billing.corrections import correct_line, target_month
from billing.models import Invoice, InvoiceLine
from billing.run import plan, run_month

from .helpers import bill, bill_and_close, close_and_render, in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _pdf_text(invoice) -> str:
    """The PDF's text without white space (the extraction breaks lines where the page wraps them)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(invoice.document.pdf))).pages)
    return "".join(text.split())


def test_the_adjustment_prints_the_number_issue_date_and_line_it_corrects(staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=10_000)
    february = bill_and_close(2025, 2)
    original = InvoiceLine.objects.get(month=february)
    correct_line(original, new_amount=8_000, reason="値引き漏れ", by=staff)
    march = bill(2025, 3)
    close_and_render(march, issued_on=D(2025, 4, 1))
    corrected = Invoice.objects.select_related("document").get(month=march)
    text = _pdf_text(corrected)
    assert (original.invoice.number, original.invoice.issued_on) == (1, D(2025, 2, 28))
    expected = "No.00000001（2025年2月28日発行）"
    assert "".join(f"{expected}の「{original.description}」の訂正".split()) in text
    assert text.count("の訂正") == 1  # the month's own charge names nothing
    assert "-2,000円" in text and "No.00000002" in text


def test_a_line_of_an_open_month_is_not_corrected_by_an_adjustment(staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    line = InvoiceLine.objects.get(month=bill(2025, 2))
    with pytest.raises(ValidationError, match="not issued yet"):
        correct_line(line, new_amount=1, reason="誤り", by=staff)
    assert not InvoiceLine.objects.filter(adjusts=line).exists()


def test_the_adjustment_of_december_goes_to_january_of_the_next_year():
    in_service(accepted_on=D(2025, 11, 10), billing_on=D(2025, 11, 15))
    december = bill_and_close(2025, 12)
    january = target_month(december)
    assert (january.month, january.is_closed) == (D(2026, 1, 1), False)
    assert target_month(december) == january  # the open month found again, not a second one


def test_the_dry_run_counts_the_months_corrections_as_closing_issues_them(staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=10_000)
    february = bill_and_close(2025, 2)
    correct_line(InvoiceLine.objects.get(month=february), new_amount=9_000, reason="値引き漏れ", by=staff)
    march = target_month(february)  # the correction opened March and sits on it
    preview = plan(march)
    assert sum(line.amount for line in preview.owed.values()) - 1_000 == preview.total
    assert (preview.lines, preview.customers) == (len(preview.owed) + 1, 1)
    shown = preview_lines(march)[0]
    out = io.StringIO()
    call_command("run_billing", "--month", "2025-03", "--dry-run", stdout=out)
    run_month(march, by=staff)
    close_month(march, by=staff, issued_on=D(2025, 4, 1))
    issued = Invoice.objects.get(month=march)
    assert issued.subtotal == preview.total
    assert InvoiceLine.objects.filter(month=march).count() == preview.lines
    assert yen(issued.subtotal) in shown and f"{issued.subtotal:,} yen before tax" in out.getvalue()
