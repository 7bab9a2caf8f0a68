"""How a payment's amount is spread over open invoices, and which invoices an amount agrees with.

Pure functions on ``(invoice id, balance)`` pairs, so the rules are tested by tables of cases; the
services apply them under row locks. ``tolerance`` is the largest shortfall accepted as the transfer
fee the payer deducted (振込手数料, setting ``RECEIVABLES_TRANSFER_FEE_TOLERANCE``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, combinations

from .choices import AllocationKind

Balances = Sequence[tuple[int, int]]
#: Beyond this many open invoices, only single invoices and oldest-first runs are tried.
MAX_SUBSET = 12


@dataclass(frozen=True)
class Booking:
    invoice_id: int | None
    kind: str
    amount: int


def spread(amount: int, balances: Balances, *, tolerance: int, book_fee: bool = True) -> list[Booking]:
    """``amount`` paid over ``balances`` in their order: each invoice up to its balance; whatever is
    left after all of them as the customer's credit (``invoice_id`` None). When ``book_fee``, a
    shortfall of at most ``tolerance`` on the last invoice, every other one paid in full, settles it as
    the transfer fee the payer deducted; a larger one leaves the invoice partly paid."""
    owed = [(invoice_id, balance) for invoice_id, balance in balances if balance > 0]
    bookings, left = [], amount
    for invoice_id, balance in owed:
        if left <= 0:
            break
        paid = min(left, balance)
        bookings.append(Booking(invoice_id, AllocationKind.PAYMENT, paid))
        left -= paid
    if left > 0:
        bookings.append(Booking(None, AllocationKind.CREDIT, left))
    elif book_fee and len(bookings) == len(owed) and bookings:
        last_id, last_balance = owed[-1]
        short = last_balance - bookings[-1].amount
        if 0 < short <= tolerance:
            bookings.append(Booking(last_id, AllocationKind.TRANSFER_FEE, short))
    return bookings


def agreeing(amount: int, balances: Balances, *, tolerance: int) -> list[int] | None:
    """The invoices ``amount`` pays exactly, or short by at most ``tolerance``; None when none agree.

    Tried in order: one invoice (exact before short, oldest first); the oldest invoices in a run;
    any set of up to ``MAX_SUBSET`` open invoices paid exactly.
    """

    def fits(total):
        return 0 <= total - amount <= tolerance

    for exact in (True, False):
        for invoice_id, balance in balances:
            if balance == amount if exact else fits(balance):
                return [invoice_id]
    for count, total in enumerate(accumulate(balance for _id, balance in balances), start=1):
        if fits(total):
            return [invoice_id for invoice_id, _balance in balances[:count]]
    if len(balances) <= MAX_SUBSET:
        for size in range(2, len(balances) + 1):
            for chosen in combinations(balances, size):
                if sum(balance for _id, balance in chosen) == amount:
                    return [invoice_id for invoice_id, _balance in chosen]
    return None
