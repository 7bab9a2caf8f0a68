"""Credit a customer holds (前受金): what they overpaid and what a negative invoice owes them (an SLA credit
larger than the month, a correction of an initial fee). Held as ``Allocation`` rows of kind CREDIT, spent on
the next invoice by ``allocations.apply_credits`` (前受金充当) or refunded (``refunds.record_refund``).

A negative invoice becomes credit on its issue day: its balance comes to 0 (``selectors.with_balance``) and
the journal moves its amount from 売掛金 to 前受金 (voucher 5)."""

from datetime import date

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from backoffice.moves import save_audited
from billing.models import Invoice

from ..choices import AllocationKind
from ..models import Allocation, Refund
from . import balances
from .allocations import apply_credits

K = AllocationKind


def uncredited_negative_invoices():
    """Issued invoices of a negative total not yet held as credit."""
    credited = Allocation.objects.live().filter(kind=K.CREDIT, invoice__isnull=False).values("invoice")
    return Invoice.objects.filter(number__isnull=False, total__lt=0).exclude(pk__in=credited)


def credit_negative_invoices(*, by=None, customer_id=None) -> list[Allocation]:
    """Hold each issued negative invoice's amount as its customer's credit (dated its issue day), then spend
    the customer's credits on their open invoices. Run twice, it adds nothing (one credit per invoice)."""
    invoices = uncredited_negative_invoices().order_by("pk")
    if customer_id is not None:
        invoices = invoices.filter(customer_id=customer_id)
    written = []
    for invoice_id in invoices.values_list("pk", flat=True):
        written += _credit(invoice_id, by=by)
    return written


@transaction.atomic
def _credit(invoice_id, *, by) -> list[Allocation]:
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    if invoice.total >= 0 or Allocation.objects.live().filter(kind=K.CREDIT, invoice=invoice).exists():
        return []
    reason = _("Negative invoice %(invoice)s held as the customer's credit") % {"invoice": invoice.display_number}
    credit = Allocation(
        invoice=invoice,
        customer_id=invoice.customer_id,
        kind=K.CREDIT,
        amount=-invoice.total,
        booked_on=invoice.issued_on,
        created_by=by,
    )
    save_audited(credit, by=by, reason=reason)
    balances.refresh([invoice.pk], by=by, reason=reason)
    return [credit, *apply_credits(invoice.customer_id, by=by)]


def credit_held(customer_id=None, on: date | None = None) -> int:
    """The credit customers hold (one customer's, or all): their credits less what was applied and what was
    refunded. ``on``: as it stood that day (credits and applications by their booking day, refunds by their
    transfer day), which is what the journal's 前受金 says that day. Without ``on``: now, a refund counting
    from the day it is recorded (its amount is no longer there to spend)."""
    mine = Q() if customer_id is None else Q(customer_id=customer_id)
    live = Allocation.objects.live().filter(mine)
    if on is None:
        left = live.filter(kind=K.CREDIT).aggregate(amount=Sum("amount", default=0), used=Sum("credit_used", default=0))
        return left["amount"] - left["used"]
    dated = live.filter(booked_on__lte=on).aggregate(
        credits=Sum("amount", filter=Q(kind=K.CREDIT), default=0),
        applied=Sum("amount", filter=Q(kind=K.CREDIT_APPLIED), default=0),
    )
    refunded = (
        Refund.objects.live().filter(mine, transfer_on__lte=on).aggregate(total=Sum("amount", default=0))["total"]
    )
    return dated["credits"] - dated["applied"] - refunded
