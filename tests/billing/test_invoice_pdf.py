"""The invoice PDF as WeasyPrint lays it out: a line is never split across two pages."""

import io
from datetime import date as D

import pytest
from pypdf import PdfReader

from billing.documents import render_html, render_pdf
from billing.models import Invoice, InvoiceLine

pytestmark = pytest.mark.django_db

LINES = 40


def _line(n: int) -> InvoiceLine:
    """A line whose description wraps over one to four rows of text (lines of every height meet the page's end),
    its first and last words and its amount unique."""
    words = "月額料金(回線利用料・保守料・運用管理料を含む)" * (1 + n * 3 % 4)
    return InvoiceLine(
        description=f"明細{n:02d}始 {words} 明細{n:02d}終",
        occurred_on=D(2026, 11, 1),
        amount=100_000 + n * 1_111,
        tax_rate=10,
        quantity=None,
        unit_price=None,
    )


def test_a_line_is_never_split_across_pages():
    invoice = Invoice(
        number=1,
        issued_on=D(2026, 12, 1),
        due_on=D(2026, 12, 31),
        period_start=D(2026, 11, 1),
        period_end=D(2026, 11, 30),
        customer_name="株式会社デモ",
        issuer_name="デモネットワークサービス株式会社",
        issuer_registration_number="T1234567890123",
    )
    lines = [_line(n) for n in range(LINES)]
    pages = PdfReader(io.BytesIO(render_pdf(render_html(invoice, lines, [])))).pages
    texts = ["".join(page.extract_text().split()) for page in pages]
    assert len(texts) > 2  # the lines fill several pages

    def pages_with(text: str) -> list[int]:
        return [number for number, page in enumerate(texts) if text in page]

    for n, line in enumerate(lines):
        amount = f"{line.amount:,}円"
        found = {part: pages_with(part) for part in (f"明細{n:02d}始", f"明細{n:02d}終", amount)}
        assert all(len(on) == 1 for on in found.values()), found
        assert len({on[0] for on in found.values()}) == 1, (n, found)
