"""Booking payments to invoices (消込), credits to later invoices, and undoing a match.

Every write locks its rows first, in one order (the payment, then the credits, then the invoices by
id), recomputes the balances under the locks (``selectors.with_balance``) and records the user and
the reason in the history of each row it writes. A payment's ``allocated``, a credit's ``credit_used``
and the invoices' stored balances (``balances.refresh``) move with their allocations in the same
transaction; the database refuses the first two beyond their amounts.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.bulk_history import insert_with_history, record_history
from backoffice.moves import lock, save_audited
from billing.models import Invoice

from .. import selectors, signals
from ..allocate import spread
from ..choices import SPENDS_PAYMENT, AllocationKind
from ..models import Allocation, Payment, TransferName
from . import balances

K = AllocationKind


def tolerance() -> int:
    return settings.RECEIVABLES_TRANSFER_FEE_TOLERANCE


def _locked_balances(invoice_ids: Sequence[int]) -> dict[int, Invoice]:
    """The invoices locked (by id, so two matches never deadlock), with their balances read under the lock."""
    list(Invoice.objects.select_for_update().filter(pk__in=invoice_ids).order_by("pk").values_list("pk"))
    rows = selectors.with_balance(Invoice.objects.filter(pk__in=invoice_ids))
    return {invoice.pk: invoice for invoice in rows}


def _book(allocation: Allocation, *, by, reason: str) -> Allocation:
    allocation.created_by = by
    save_audited(allocation, by=by, reason=reason)
    return allocation


@transaction.atomic
def match(
    payment: Payment,
    invoices: Sequence[Invoice],
    *,
    by=None,
    book_fee: bool = True,
    customer=None,
    reason: str,
    teach: bool = False,
) -> list[Allocation]:
    """Book what is left of ``payment`` to ``invoices`` in their order (``allocate.spread``): each up to
    its balance, a shortfall within the tolerance as 振込手数料 when ``book_fee``, the rest as the
    customer's credit. With no invoice the whole of it becomes the ``customer``'s credit. The invoices may be of
    several customers (a parent company paying for its group): the payer is ``customer``, else the first
    invoice's customer; each allocation names its invoice's customer, a rest the payer's.

    ``teach`` (staff matching by hand) registers the payer's name as one of the customer's transfer names.
    """
    payment = lock(payment)
    if not invoices and customer is None:
        raise ValidationError(_("Choose the invoices it pays, or the customer whose credit it becomes."))
    # The payer: whose credit a rest becomes and whose transfer name is learned. The invoices may be of
    # other customers too (a parent company paying for its group); each allocation names its invoice's.
    customer_id = customer.pk if customer else invoices[0].customer_id
    if payment.customer_id not in (None, customer_id):
        raise ValidationError(_("This payment is already matched to another customer: undo that match first."))
    if payment.unallocated <= 0:
        raise ValidationError(_("This payment is already matched in full."))
    owed = _locked_balances([invoice.pk for invoice in invoices])
    for invoice in invoices:
        if owed[invoice.pk].number is None:
            raise ValidationError(
                _("Only an issued invoice receives payments: %(invoice)s is not issued yet.") % {"invoice": invoice}
            )
    owed_now = [(invoice.pk, owed[invoice.pk].balance) for invoice in invoices]
    if invoices and all(balance <= 0 for _pk, balance in owed_now):
        raise ValidationError(_("Nothing is owed on the chosen invoices any more."))
    bookings = spread(payment.unallocated, owed_now, tolerance=tolerance(), book_fee=book_fee)
    owner = {invoice.pk: invoice.customer_id for invoice in invoices}
    written = [
        _book(
            Allocation(
                payment=payment,
                invoice_id=booking.invoice_id,
                customer_id=owner.get(booking.invoice_id, customer_id),
                kind=booking.kind,
                amount=booking.amount,
                booked_on=payment.received_on,
            ),
            by=by,
            reason=reason,
        )
        for booking in bookings
    ]
    payment.allocated += sum(row.amount for row in written if row.kind in SPENDS_PAYMENT)
    payment.customer_id = customer_id
    save_audited(payment, by=by, reason=reason)
    balances.refresh([row.invoice_id for row in written], by=by, reason=reason)
    if teach:
        learn_name(payment, by=by)
    signals.send_matched(written)
    return written


@dataclass
class Plan:
    """A payment to book to invoices of one customer (their ids in order), as decided from ``balances``
    (``[(invoice id, balance)]``): what they owed when it was decided, the batch's earlier plans counted."""

    payment: Payment
    customer_id: int
    balances: list[tuple[int, int]]


class Stale(Exception):
    """An invoice of a batch is owed other than its plans assumed: it changed after it was read."""


def match_planned(plans: Sequence[Plan], *, by=None, reason: str) -> list[Allocation]:
    """Book each plan as ``match`` books one payment, the whole batch at once: the invoices locked by id
    (the payments are already locked by the caller, by id), their balances read under the lock, then the
    allocations and their history inserted in bulk and the payments updated in bulk with their history.

    The plans' payments must be locked, fresh and have money left; ``Stale`` (nothing written) when an
    invoice's balance under the lock is not what the plans assumed. Call inside ``transaction.atomic``.
    """
    if not plans:
        return []
    invoice_ids = sorted({pk for plan in plans for pk, _balance in plan.balances})
    owed = {pk: invoice.balance for pk, invoice in _locked_balances(invoice_ids).items()}
    written, touched = [], []
    for plan in plans:
        if any(owed.get(pk) != balance for pk, balance in plan.balances):
            raise Stale
        payment = plan.payment
        bookings = spread(payment.unallocated, plan.balances, tolerance=tolerance())
        rows = [
            Allocation(
                payment=payment,
                invoice_id=booking.invoice_id,
                customer_id=plan.customer_id,
                kind=booking.kind,
                amount=booking.amount,
                booked_on=payment.received_on,
                created_by=by,
            )
            for booking in bookings
        ]
        settled = defaultdict(int)
        for row in rows:
            if row.invoice_id is not None:
                settled[row.invoice_id] += row.amount
        for pk, amount in settled.items():
            owed[pk] -= amount
        payment.allocated += sum(row.amount for row in rows if row.kind in SPENDS_PAYMENT)
        payment.customer_id = plan.customer_id
        written += rows
        touched.append(payment)
    insert_with_history(Allocation, written, by=by, reason=reason)
    # The payments take what their new allocations spend, and their customer, in one UPDATE (bulk_update's
    # CASE per row costs more than the rest of the batch).
    new = Allocation.objects.filter(pk__in=[row.pk for row in written], payment=OuterRef("pk")).order_by()
    spent = new.filter(kind__in=SPENDS_PAYMENT).values("payment").annotate(spent=Sum("amount")).values("spent")
    touched_ids = [payment.pk for payment in touched]
    Payment.objects.filter(pk__in=touched_ids).update(
        allocated=F("allocated") + Coalesce(Subquery(spent, output_field=BigIntegerField()), 0),
        customer_id=Subquery(new.values("customer_id")[:1]),
    )
    record_history(Payment.objects.filter(pk__in=touched_ids), by=by, reason=reason)
    balances.refresh(invoice_ids, by=by, reason=reason)
    signals.send_matched(written)
    return written


def learn_name(payment: Payment, *, by=None) -> TransferName | None:
    """Register the payer's name as the customer's transfer name unless it already is (history names who)."""
    if TransferName.objects.filter(customer_id=payment.customer_id, key=payment.payer_key).exists():
        return None
    name = TransferName(customer_id=payment.customer_id, name=payment.payer_name, learned_from=payment)
    name._history_user = by
    name._change_reason = _("Learned from a payment matched by hand")
    name.save()
    return name


@transaction.atomic
def apply_credits(customer_id, *, by=None, reason: str = "") -> list[Allocation]:
    """Spend the customer's credits on their open invoices, oldest credit on the oldest invoice due."""
    credits = list(selectors.credits_left(customer_id).select_for_update(of=("self",)))
    if not credits:
        return []
    open_ids = list(selectors.open_invoices(customer_id).values_list("pk", flat=True))
    owed = _locked_balances(open_ids)
    reason = reason or _("Credit applied to the next invoice")
    written = []
    for invoice_id in open_ids:
        balance = owed[invoice_id].balance
        for credit in credits:
            take = min(balance, credit.amount - credit.credit_used)
            if take <= 0:
                continue
            written.append(
                _book(
                    Allocation(
                        invoice_id=invoice_id,
                        customer_id=customer_id,
                        kind=K.CREDIT_APPLIED,
                        credit=credit,
                        amount=take,
                        booked_on=max(credit.booked_on, owed[invoice_id].issued_on),
                    ),
                    by=by,
                    reason=reason,
                )
            )
            credit.credit_used += take
            save_audited(credit, by=by, reason=reason)
            balance -= take
    balances.refresh([row.invoice_id for row in written], by=by, reason=reason)
    return written


def _undo(allocation: Allocation, *, by, reason: str) -> None:
    allocation.undone_at = timezone.now()
    allocation.undone_by = by
    allocation.undo_reason = reason
    save_audited(allocation, by=by, reason=reason)


@transaction.atomic
def undo_match(payment: Payment, *, reason: str, by=None) -> int:
    """Undo every live allocation of ``payment`` (its invoices, its fee, its credit), with the reason;
    the payment is left unmatched. Refused while its credit pays an invoice: undo that first."""
    if not reason.strip():
        raise ValidationError(_("Say why the match is undone."))
    payment = lock(payment)
    rows = list(Allocation.objects.live().filter(payment=payment).select_for_update())
    if not rows:
        raise ValidationError(_("This payment is not matched."))
    spent = [row for row in rows if row.kind == K.CREDIT and row.credit_used]
    if spent:
        raise ValidationError(
            _("The credit of this payment already pays invoices (%(invoices)s): undo those credits applied first.")
            % {"invoices": ", ".join(str(a.invoice) for a in spent[0].applications.live().select_related("invoice"))}
        )
    for row in rows:
        _undo(row, by=by, reason=reason)
    payment.allocated = 0
    payment.customer = None
    save_audited(payment, by=by, reason=reason)
    balances.refresh([row.invoice_id for row in rows], by=by, reason=reason)
    return len(rows)


@transaction.atomic
def undo_credit_applied(allocation: Allocation, *, reason: str, by=None) -> None:
    """Give a credit applied to an invoice back to the credit it came from, with the reason."""
    if not reason.strip():
        raise ValidationError(_("Say why the match is undone."))
    credit = lock(allocation.credit)
    row = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if row.kind != K.CREDIT_APPLIED or not row.live:
        raise ValidationError(_("Only a live credit applied is undone this way."))
    _undo(row, by=by, reason=reason)
    credit.credit_used -= row.amount
    save_audited(credit, by=by, reason=reason)
    balances.refresh([row.invoice_id], by=by, reason=reason)
