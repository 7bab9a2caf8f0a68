"""Who a payment is from, and which invoices it pays: ranked candidates, and the automatic match.

A customer is a candidate when the payer's name agrees with one of their transfer names or their kana
name (``names.agreement``), or when the amount agrees with what they owe. A payment is matched
automatically only when both agree for exactly one customer: the name at least as closely as
``names.SAME_CORE`` and the amount with one invoice, the oldest ones in a run, or a set of them
(``allocate.agreeing``, a shortfall within the tolerance being the transfer fee). Everything else
waits on the worklist with its candidates.

``Matcher`` ranks every customer who owes something against one payment (the manual match's
suggestions). The automatic match of many payments (``match_unmatched``) is set-wise instead: only a
customer whose name agrees at ``SAME_CORE`` or better can be matched automatically, and such a name
shares the payer's core, so a batch of payments reads its candidates by their normalised keys
(``_BatchMatcher``) in a fixed number of queries, whatever the batch's size.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.names import EXACT, LEGAL_FORMS, SAME_CORE, Name, agreement, normalise
from customers.models import Customer

from . import selectors
from .allocate import agreeing, spread
from .models import Payment, TransferName
from .services.allocations import Plan, Stale, match, match_planned, tolerance

#: Payments matched automatically per transaction: each batch reads and writes in a fixed number of queries.
BATCH_SIZE = 500


def automatic_reason() -> str:
    return _("Matched automatically: name and amount agree")


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
        match(payment, candidate.invoices, by=by, reason=automatic_reason())
        self.refresh(candidate.customer.pk)
        return candidate


def match_each(payments, *, by=None) -> tuple[int, int]:
    """The automatic match one payment at a time, every customer who owes something ranked against each
    (about 20 queries a payment): ``match_unmatched`` decides the same set-wise, and falls back on this
    for a batch whose invoices changed under it."""
    matcher, matched, left = Matcher(), 0, 0
    for payment in payments:
        if matcher.match_automatically(payment, by=by):
            matched += 1
        else:
            left += 1
    return matched, left


def agreeing_keys(payer: Name) -> list[str]:
    """Every ``TransferName.key`` a name agreeing with ``payer`` at ``SAME_CORE`` or better is stored under:
    the payer's core, bare or with the payer's legal form (with any form when the payer wrote none)."""
    if not payer.core:
        return []
    forms = [payer.form] if payer.form else list(LEGAL_FORMS)
    return [payer.core, *(str(Name(payer.core, form)) for form in forms)]


class CustomerNames:
    """Every customer's own names (kana and registered name) by their normalised core, read in one query for
    all the batches of a run (a customer's name is not stored normalised)."""

    def __init__(self):
        self.by_core: dict[str, list[tuple[int, Name]]] = defaultdict(list)
        for pk, name, kana in Customer.objects.values_list("pk", "name", "name_kana"):
            for own in {normalise(kana), normalise(name)}:
                if own.core:
                    self.by_core[own.core].append((pk, own))

    def agreeing(self, payer: Name) -> set[int]:
        return {pk for pk, own in self.by_core.get(payer.core, ()) if agreement(payer, own) >= SAME_CORE}


def _named(payers: list[Name], customer_names: CustomerNames) -> list[set[int]]:
    """For each payer, the customers one of whose names agrees at ``SAME_CORE`` or better (one query: the
    transfer names under the batch's keys)."""
    keys = {key for payer in payers for key in agreeing_keys(payer)}
    registered = defaultdict(list)  # core → [(customer id, name)]
    if keys:
        for customer_id, name in TransferName.objects.filter(key__in=keys).values_list("customer_id", "name"):
            known = normalise(name)
            registered[known.core].append((customer_id, known))
    return [
        customer_names.agreeing(payer)
        | {pk for pk, known in registered.get(payer.core, ()) if agreement(payer, known) >= SAME_CORE}
        for payer in payers
    ]


def _decide(payments: list[Payment], customer_names: CustomerNames) -> tuple[list[Plan], int, int | None]:
    """What ``Matcher.match_automatically`` would book, payment after payment, decided in memory from the
    open invoices of the customers the batch's payers name (two queries): ``(plans, left, odd)``, ``odd``
    being the index of the first payment ``match`` would refuse (its plans stop before it), else None."""
    named = _named([normalise(payment.payer_name) for payment in payments], customer_names)
    owed: dict[int, list[tuple[int, int]]] = defaultdict(list)  # customer → [(invoice, balance)], oldest due first
    wanted = set().union(*named)
    if wanted:
        rows = selectors.open_invoices().filter(customer_id__in=wanted).values_list("customer_id", "pk", "balance")
        for customer_id, pk, balance in rows:
            owed[customer_id].append((pk, balance))
    plans, left = [], 0
    for index, (payment, ids) in enumerate(zip(payments, named, strict=True)):
        sure = []
        for customer_id in ids:
            balances = owed.get(customer_id)
            chosen = agreeing(payment.unallocated, balances, tolerance=tolerance()) if balances else None
            if chosen is not None:
                sure.append((customer_id, chosen))
        if len(sure) != 1:
            left += 1
            continue
        customer_id, chosen = sure[0]
        if payment.customer_id not in (None, customer_id) or payment.unallocated <= 0:
            return plans, left, index
        balance = dict(owed[customer_id])
        plan = Plan(payment, customer_id, [(pk, balance[pk]) for pk in chosen])
        plans.append(plan)
        for booking in spread(payment.unallocated, plan.balances, tolerance=tolerance()):
            if booking.invoice_id is not None:
                balance[booking.invoice_id] -= booking.amount
        owed[customer_id] = [(pk, balance[pk]) for pk, _balance in owed[customer_id] if balance[pk] > 0]
    return plans, left, None


def _match_batch(batch: list[Payment], customer_names: CustomerNames, *, by) -> tuple[int, int, int | None]:
    """One transaction: the batch's payments locked and read again (by id), the plans decided, then booked
    (``match_planned``); ``(matched, left, odd)`` as ``_decide``."""
    with transaction.atomic():
        ids = [payment.pk for payment in batch]
        fresh = Payment.objects.select_for_update().filter(pk__in=ids).order_by("pk").in_bulk()
        payments = [fresh[pk] for pk in ids if pk in fresh]
        plans, left, odd = _decide(payments, customer_names)
        match_planned(plans, by=by, reason=automatic_reason())
    if odd is not None:
        return len(plans), left, batch.index(payments[odd])
    return len(plans), left + len(batch) - len(payments), None  # a payment deleted meanwhile is left


def match_unmatched(payments, *, by=None, batch_size: int = BATCH_SIZE, progress=None) -> tuple[int, int]:
    """Try the automatic match on each payment with money left, in their order; (matched, left on the
    worklist). Set-wise, ``batch_size`` payments a transaction in a fixed number of queries; the same
    outcome as ``match_each``. ``progress(done)``: the payments decided so far, after each batch."""
    payments = list(payments)
    queue, matched, left = list(payments), 0, 0
    customer_names = CustomerNames() if queue else None
    while queue:
        batch = queue[:batch_size]
        try:
            done, waiting, odd = _match_batch(batch, customer_names, by=by)
        except Stale:  # an invoice of the batch was paid meanwhile: decided again, one payment at a time
            done, waiting, odd = *match_each(batch, by=by), None
        matched, left = matched + done, left + waiting
        if odd is None:
            queue = queue[batch_size:]
        else:  # ``match`` refuses this payment (matched to another customer, or nothing left): as one at a time
            done, waiting = match_each([batch[odd]], by=by)
            matched, left, queue = matched + done, left + waiting, queue[odd + 1 :]
        if progress:
            progress(len(payments) - len(queue))
    return matched, left
