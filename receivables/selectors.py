"""Reads of receivables: an invoice's open balance and state, open invoices, a customer's credit, aging.

The balance and state of an issued invoice come from one place, ``with_balance``: what its live
allocations settle (payments, transfer fees, credits applied) against its total.
"""

from datetime import date, timedelta

from django.db.models import BigIntegerField, Case, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from billing.models import Invoice

from .choices import SETTLES_INVOICE
from .models import Allocation, AllocationKind, InvoiceBalance, InvoiceState


def _settled(on: date | None = None):
    """What settles the invoice: its payments, fees and credits applied; a negative invoice is settled by the
    credit it became (counted negative, so its balance comes to 0)."""
    allocations = Allocation.objects.live().filter(
        invoice=OuterRef("pk"), kind__in=(*SETTLES_INVOICE, AllocationKind.CREDIT)
    )
    if on is not None:
        allocations = allocations.filter(booked_on__lte=on)
    signed = Case(
        When(kind=AllocationKind.CREDIT, then=-F("amount")), default=F("amount"), output_field=BigIntegerField()
    )
    return Coalesce(
        Subquery(
            allocations.order_by().values("invoice").annotate(total=Sum(signed)).values("total"),
            output_field=BigIntegerField(),
        ),
        Value(0),
    )


def with_balance(invoices: QuerySet[Invoice], on: date | None = None) -> QuerySet[Invoice]:
    """``invoices`` annotated with ``settled``, ``balance`` (what is still owed; negative when overpaid)
    and ``payment_state`` (``InvoiceState``). An invoice of nothing owed (total 0 or below) is paid.

    ``on``: as it stood that day, counting the payments received by then (credits applied by then),
    as the matches stand now."""
    return invoices.annotate(settled=_settled(on)).annotate(
        balance=F("total") - F("settled"),
        payment_state=Case(
            When(Q(total__lte=0) | Q(settled=F("total")), then=Value(InvoiceState.PAID)),
            When(settled=0, then=Value(InvoiceState.UNPAID)),
            When(settled__lt=F("total"), then=Value(InvoiceState.PARTLY_PAID)),
            default=Value(InvoiceState.OVERPAID),
        ),
    )


def issued() -> QuerySet[Invoice]:
    return Invoice.objects.filter(number__isnull=False)


def open_invoices(customer_id=None, on: date | None = None) -> QuerySet[Invoice]:
    """Issued invoices with something still owed (on ``on``: issued by then, as paid by then), oldest due first."""
    rows = with_balance(issued() if on is None else issued().filter(issued_on__lte=on), on).filter(balance__gt=0)
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    return rows.order_by("due_on", "number")


def credits_left(customer_id) -> QuerySet[Allocation]:
    """The customer's live credits with some left, oldest first."""
    return (
        Allocation.objects.live()
        .filter(customer_id=customer_id, kind=AllocationKind.CREDIT, credit_used__lt=F("amount"))
        .order_by("created_at", "id")
    )


def credit_balance(customer_id) -> int:
    left = credits_left(customer_id).aggregate(left=Sum(F("amount") - F("credit_used")))["left"]
    return left or 0


def overdue(on: date) -> QuerySet[Invoice]:
    """Issued invoices past their due date on ``on`` with something still owed: those whose stored balance is
    open (read by its index), each balance then computed."""
    return open_invoices().filter(due_on__lt=on, balance_now__owed__gt=0)


def overdue_count(on: date) -> int:
    """How many issued invoices are past their due date on ``on`` with something owed, by their stored balances
    alone (the index of the open ones: the admin index shows it on every visit)."""
    return InvoiceBalance.objects.filter(owed__gt=0, due_on__lt=on).count()


#: The aging buckets (売掛金年齢表): days past due, from–to (None: open-ended), with their labels.
AGING_BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)


def aging(on: date) -> dict[str, int]:
    """What was owed on issued invoices on ``on``, by days past due: ``{bucket: yen}`` and ``total``; the
    balances are ``open_invoices(on=on)``'s.

    An invoice nothing was booked to after ``on`` owed then what it owes now: its stored balance, read by
    the index of the open ones (the paid invoices of all the months before are never read). Those paid in
    part or in full since are recounted from the allocations booked by then."""
    paid_since = Allocation.objects.live().filter(booked_on__gt=on, invoice__isnull=False).values("invoice_id")
    unchanged = (
        InvoiceBalance.objects.filter(owed__gt=0, issued_on__lte=on)
        .exclude(invoice_id__in=paid_since)
        .aggregate(**_buckets("owed", on))
    )
    recounted = (
        with_balance(issued().filter(issued_on__lte=on, pk__in=paid_since), on)
        .filter(balance__gt=0)
        .aggregate(**_buckets("balance", on))
    )
    return {name: unchanged[name] + recounted[name] for name in unchanged}


def _buckets(owed: str, on: date) -> dict:
    """The aggregates of ``aging``: the sum of ``owed`` in each bucket of days past due on ``on``, and in all."""
    sums = {}
    for name, low, high in AGING_BUCKETS:
        condition = Q(due_on__gte=on) if low is None else Q(due_on__lte=on - timedelta(days=low))
        if high is not None and low is not None:
            condition &= Q(due_on__gte=on - timedelta(days=high))
        sums[name] = Sum(owed, filter=condition, default=0)
    return {**sums, "total": Sum(owed, default=0)}
