"""Who a payment is from, and which invoices it pays: ranked candidates, and the automatic match.

A customer is a candidate when the payer's name agrees with one of their transfer names or their kana
name (``names.agreement``), or when the amount agrees with what they owe. A payment is matched
automatically only when both agree for exactly one customer: the name at least as closely as
``names.SAME_CORE`` and the amount with one invoice, the oldest ones in a run, or a set of them
(``allocate.agreeing``, a shortfall within the tolerance being the transfer fee). Everything else
waits on the worklist with its candidates.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from customers.models import Customer

from . import selectors
from .allocate import agreeing
from .models import Payment, TransferName
from .names import EXACT, SAME_CORE, Name, agreement, normalise
from .services.allocations import match, tolerance


@dataclass
class Candidate:
    customer: Customer
    name_score: int
    invoices: list = field(default_factory=list)  # the invoices the amount agrees with, or []
    why: str = ""
    open_invoices: list = field(default_factory=list)  # all they owe, oldest due first

    @property
    def amount_agrees(self) -> bool:
        return bool(self.invoices)

    @property
    def score(self) -> int:
        return self.name_score + (50 if self.amount_agrees else 0)


class Matcher:
    """The open invoices and known names of every customer who owes something, read once for a batch of
    payments (one query each), and kept current as payments are matched."""

    def __init__(self):
        self.refresh()

    def refresh(self, customer_id=None):
        """Read the open invoices and transfer names again: everyone's, or one customer's after a match."""
        invoices = selectors.open_invoices(customer_id).select_related("customer")
        names = (
            TransferName.objects.all() if customer_id is None else TransferName.objects.filter(customer_id=customer_id)
        )
        if customer_id is None:
            self.open, self.customers, self.names = defaultdict(list), {}, defaultdict(list)
        else:
            self.open.pop(customer_id, None)
            self.names.pop(customer_id, None)
        for invoice in invoices:
            self.open[invoice.customer_id].append(invoice)
            self.customers[invoice.customer_id] = invoice.customer
        for row in names:
            self.names[row.customer_id].append(normalise(row.name))

    def _name_score(self, payer: Name, customer: Customer) -> tuple[int, str]:
        best, why = 0, ""
        for known in self.names.get(customer.pk, []):
            score = agreement(payer, known)
            if score == EXACT:
                return EXACT + 5, _("registered transfer name")  # a name staff confirmed ranks first
            if score > best:
                best, why = score, _("transfer name")
        for own in (customer.name_kana, customer.name):
            score = agreement(payer, normalise(own))
            if score > best:
                best, why = score, _("customer's name")
        return best, why

    def candidates(self, payment: Payment, limit: int = 5) -> list[Candidate]:
        payer = normalise(payment.payer_name)
        found = []
        for customer_id, invoices in self.open.items():
            customer = self.customers[customer_id]
            name_score, why = self._name_score(payer, customer)
            chosen = agreeing(payment.unallocated, [(i.pk, i.balance) for i in invoices], tolerance=tolerance())
            if name_score < 40 and chosen is None:
                continue
            by_pk = {i.pk: i for i in invoices}
            found.append(Candidate(customer, name_score, [by_pk[pk] for pk in chosen or []], why, invoices))
        found.sort(key=lambda c: (-c.score, c.customer.code))
        return found[:limit]

    def automatic(self, payment: Payment) -> Candidate | None:
        """The one candidate whose name and amount both agree, or None (none, or more than one)."""
        sure = [c for c in self.candidates(payment, limit=10) if c.name_score >= SAME_CORE and c.amount_agrees]
        return sure[0] if len(sure) == 1 else None

    def match_automatically(self, payment: Payment, *, by=None) -> Candidate | None:
        candidate = self.automatic(payment)
        if candidate is None:
            return None
        match(payment, candidate.invoices, by=by, reason=_("Matched automatically: name and amount agree"))
        self.refresh(candidate.customer.pk)
        return candidate


def match_unmatched(payments, *, by=None) -> tuple[int, int]:
    """Try the automatic match on each payment with money left; (matched, left on the worklist)."""
    matcher, matched, left = Matcher(), 0, 0
    for payment in payments:
        if matcher.match_automatically(payment, by=by):
            matched += 1
        else:
            left += 1
    return matched, left
