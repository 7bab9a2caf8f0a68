"""Receivables of the month (receivables): the payments received and how they were booked, and the aging
of what was owed on the month's last day (売掛金年齢表)."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from backoffice.exports import YEN, Column
from backoffice.months import Month
from receivables import selectors
from receivables.models import Allocation, AllocationKind, Payment

from ..report import Figure, Section

BUCKET_LABELS = {
    "not_due": _("not yet due"),
    "1_30": _("1–30 days"),
    "31_60": _("31–60 days"),
    "61_90": _("61–90 days"),
    "over_90": _("over 90 days"),
}


def aging(month: Month) -> Section:
    def rows():
        figures = selectors.aging(month.last_day)
        for name, _low, _high in selectors.AGING_BUCKETS:
            yield str(BUCKET_LABELS[name]), figures[name]
        yield str(_("total")), figures["total"]

    columns = (Column(_("days past due")), Column(_("owed (yen)"), YEN))
    return Section("receivables_aging", _("Aging of receivables"), columns, rows, lambda: len(BUCKET_LABELS) + 1)


def figures(month: Month) -> list[Figure]:
    received = Payment.objects.filter(received_on__range=(month.first_day, month.last_day)).aggregate(
        n=Count("pk"), amount=Sum("amount", default=0)
    )
    booked = (
        Allocation.objects.live()
        .filter(Q(payment__received_on__range=(month.first_day, month.last_day)))
        .aggregate(
            fees=Sum("amount", filter=Q(kind=AllocationKind.TRANSFER_FEE), default=0),
            credits=Sum("amount", filter=Q(kind=AllocationKind.CREDIT), default=0),
        )
    )
    return [
        Figure(_("Payments received"), received["n"], received["amount"]),
        Figure(_("Transfer fees deducted by payers"), None, booked["fees"]),
        Figure(_("Overpayments kept as credit"), None, booked["credits"]),
        Figure(_("Owed on issued invoices at the month's end"), None, selectors.aging(month.last_day)["total"]),
    ]


def provide(month: Month) -> tuple[list[Figure], list[Section]]:
    """Receivables' figures and sections of ``month``."""
    return figures(month), [aging(month)]
