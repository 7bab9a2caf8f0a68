"""The aging, one grouped join since issue 26, sums what ``open_invoices(on=on)`` owes, bucket by bucket: with
payments in part, overpaid invoices, undone matches, credits applied and days before some payments."""

from datetime import date as D
from datetime import timedelta

import pytest

from billing.models import Invoice
from receivables import selectors
from receivables.matching import match_unmatched
from receivables.models import Allocation, Payment
from receivables.services.allocations import apply_credits, match, undo_match
from receivables.services.payments import record_payment

from .test_matching_setwise import month_end

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def by_open_invoices(on) -> dict[str, int]:
    """The aging computed row by row from ``open_invoices``, the list's own balances."""
    sums = dict.fromkeys([name for name, _low, _high in selectors.AGING_BUCKETS] + ["total"], 0)
    for row in selectors.open_invoices(on=on):
        late = (on - row.due_on).days
        for name, low, high in selectors.AGING_BUCKETS:
            if (low is None and late <= 0) or (low is not None and low <= late and (high is None or late <= high)):
                sums[name] += row.balance
        sums["total"] += row.balance
    return sums


def test_the_aging_sums_the_open_invoices_balances(staff):
    payments = month_end(8, customers=30, payments=40)
    match_unmatched(payments, by=staff)
    matched = [p for p in Payment.objects.filter(allocated__gt=0).order_by("pk")]
    for payment in matched[:3]:
        undo_match(payment, reason="wrong customer", by=staff)
    owing = list(selectors.open_invoices().select_related("customer")[:6])
    for invoice in owing[:3]:  # paid in part, late
        match(record_payment(received_on=D(2031, 6, 10), amount=1_000, payer_name="ﾃｽﾄ"), [invoice], reason="hand")
    for invoice in owing[3:5]:  # overpaid: the rest is credit, applied to the customer's next invoice
        payment = record_payment(received_on=D(2031, 4, 2), amount=invoice.balance + 2_000, payer_name="ﾃｽﾄ")
        match(payment, [invoice], reason="hand")
        apply_credits(invoice.customer_id, by=staff)
    assert Allocation.objects.filter(undone_at__isnull=False).exists()
    assert Invoice.objects.count() > 40
    for on in (D(2031, 1, 20), D(2031, 2, 27), D(2031, 3, 31), D(2031, 4, 1), D(2031, 6, 30), D(2032, 1, 1)):
        for day in (on, on + timedelta(days=31)):
            assert selectors.aging(day) == by_open_invoices(day), day
