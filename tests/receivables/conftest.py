"""Issued invoices to pay: a test charge source billed and closed month after month, through billing's
own run and closing, so the invoices are numbered, dated and totalled as in production."""

from datetime import date

import pytest

from backoffice.registry import registry
from billing import rendering
from billing.models import Invoice
from billing.sources import Charge, FeeKind
from receivables import selectors
from receivables.models import InvoiceBalance
from tests import factories as f
from tests.admin.conftest import staff_client  # noqa: F401  (the admin pages' logged-in superuser)
from tests.billing.helpers import bill_and_close

RENDER_PDF = rendering.render_pdf


@pytest.fixture(autouse=True)
def stored_balances_agree(request):
    """After every test of receivables that used the database, each issued invoice's stored balance is what
    its allocations say, and only issued invoices have one: whatever the test booked or undid kept it."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("db" if "transactional_db" not in request.fixturenames else "transactional_db")
    yield
    if uses_db:
        computed = dict(selectors.with_balance(selectors.issued()).values_list("pk", "balance"))
        assert dict(InvoiceBalance.objects.values_list("invoice_id", "owed")) == computed


@pytest.fixture
def real_pdf(monkeypatch):
    """Invoices issued with their real PDF (after ``issue``: ``issue`` puts a placeholder in its place)."""
    return lambda: monkeypatch.setattr(rendering, "render_pdf", RENDER_PDF)


@pytest.fixture
def issue(monkeypatch):
    """``issue(2025, 2, (customer, 10_000), ...)``: those charges (yen before tax, 10%) billed in that month
    and the month closed; returns ``{customer: invoice}``. Months are issued in order.

    The PDF is a placeholder here (billing's tests check the real one; receivables never reads it).
    """
    monkeypatch.setattr(rendering, "render_pdf", lambda html: b"%PDF-1.7 placeholder")
    offered = []

    def issue_month(year, month, *charges):
        for customer, amount in charges:
            key = f"r:{len(offered)}"
            offered.append(Charge(key, customer.pk, FeeKind.ONE_TIME, "作業費", amount, date(year, month, 10)))
        row = bill_and_close(year, month)
        return {invoice.customer: invoice for invoice in Invoice.objects.filter(month=row).select_related("customer")}

    def source(period):
        return [c for c in offered if c.occurred_on <= period.last_day]

    with registry.kept("charge_sources"):
        registry.register("charge_sources", source, name="tests.receivables")
        yield issue_month


@pytest.fixture
def yamada():
    return f.customer(name="山田商事株式会社", name_kana="ヤマダショウジ")


@pytest.fixture
def sato():
    return f.customer(name="有限会社佐藤工業", name_kana="サトウコウギョウ")
