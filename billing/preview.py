"""The dry run: what a run of a month would bill, and how it differs from the month before, writing nothing.

Amounts are compared per contract (the lines without a contract, such as credits of other apps, per
customer): a contract billed now and not the month before is *new*, one billed before and not now has
*ended*, one billed both times with a different total has *changed*.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from .models import BillingMonth, InvoiceLine
from .run import charges_of, not_yet_invoiced


@dataclass
class Preview:
    month: BillingMonth
    charges: list = field(default_factory=list)
    new: list[tuple[str, int]] = field(default_factory=list)
    ended: list[tuple[str, int]] = field(default_factory=list)
    changed: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(charge.amount for charge in self.charges)

    @property
    def customers(self) -> int:
        return len({charge.customer_id for charge in self.charges})


def _subject(contract_id, customer_id) -> str:
    return f"contract:{contract_id}" if contract_id else f"customer:{customer_id}"


def preview(month: BillingMonth) -> Preview:
    """The charges a run of ``month`` would write now, and the differences from the previous month's lines."""
    charges = not_yet_invoiced(month, charges_of(month))
    now = defaultdict(int)
    for charge in charges:
        now[_subject(charge.contract_id, charge.customer_id)] += charge.amount
    before = _previous_totals(month)
    result = Preview(month, charges)
    result.new = sorted((key, amount) for key, amount in now.items() if key not in before)
    result.ended = sorted((key, amount) for key, amount in before.items() if key not in now)
    result.changed = sorted(
        (key, before[key], amount) for key, amount in now.items() if key in before and before[key] != amount
    )
    return result


def _previous_totals(month: BillingMonth) -> dict[str, int]:
    """The previous month's billed total per contract (or per customer for lines without one). One query."""
    first = month.month
    previous = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    rows = (
        InvoiceLine.objects.filter(month__month=previous)
        .values("contract_id", "invoice__customer_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {_subject(row["contract_id"], row["invoice__customer_id"]): row["total"] for row in rows}
