"""One more row of each of billing's admin models, for the smoke and hostile-input tests."""

import itertools
from datetime import date

from billing.models import BillingMonth, Invoice, InvoiceLine
from billing.sources import FeeKind
from tests import factories as f

_months = itertools.count(0)


def month() -> BillingMonth:
    n = next(_months)
    return BillingMonth.objects.create(month=date(2001 + n // 12, n % 12 + 1, 1))


def invoice() -> Invoice:
    row = month()
    period = row.period
    return Invoice.objects.create(
        customer=f.customer(), month=row, period_start=period.first_day, period_end=period.last_day
    )


def line() -> InvoiceLine:
    bill = invoice()
    return InvoiceLine.objects.create(
        invoice=bill,
        month=bill.month,
        source_key=f"test:{bill.pk}",
        kind=FeeKind.ONE_TIME,
        description="作業費",
        occurred_on=bill.period_end,
        amount=1_000,
        tax_rate=10,
    )


MAKERS = {BillingMonth: month, Invoice: invoice, InvoiceLine: line}
