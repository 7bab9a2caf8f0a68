"""Revenue of the month from its invoices (billing): by service and fee kind, and the tax per rate,
adding up to the invoices' own totals (amount before tax, consumption tax, total with tax).

A month not yet closed has no issued totals: its figures are the running ones (``billing.figures``, the
tax rounded per invoice and rate as closing would issue them now), each labelled provisional.
"""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from backoffice.exports import YEN, Column
from backoffice.months import Month
from billing.api import taxes_of
from billing.models import BillingMonth, Invoice, InvoiceLine, InvoiceTax, MonthState
from billing.sources import FeeKind
from contracts.choices import ServiceCode

from ..report import Chart, Figure, Section

#: The fee kinds stacked on the revenue chart: what is charged (credits and adjustments stay in the table).
CHARTED = (FeeKind.INITIAL, FeeKind.MONTHLY, FeeKind.ONE_TIME, FeeKind.SETTLEMENT)


def invoices_of(month: Month):
    return Invoice.objects.filter(month__month=month.first_day)


def lines_of(month: Month):
    return InvoiceLine.objects.filter(invoice__month__month=month.first_day)


class _Part(NamedTuple):
    """The lines of one invoice at one rate, summed: what ``taxes_of`` reads of a line."""

    amount: int
    tax_rate: int


def is_closed(month: Month) -> bool:
    return BillingMonth.objects.filter(month=month.first_day, state=MonthState.CLOSED).exists()


def provisional(label, closed: bool) -> str:
    """``label`` as it reads for a month still open: its figures are running ones, not issued."""
    return str(label) if closed else str(_("%(label)s (provisional: the month is not closed)") % {"label": label})


def tax_per_rate(month: Month, closed: bool) -> dict[int, tuple[int, int]]:
    """``{rate %: (amount before tax, tax)}`` of the month: as issued once closed, else as closing would issue
    it now (the tax rounded down per invoice and rate). One query."""
    if closed:
        rows = InvoiceTax.objects.filter(invoice__month__month=month.first_day).order_by("rate").values_list("rate")
        return {rate: (taxable, tax) for rate, taxable, tax in rows.annotate(taxable=Sum("taxable"), tax=Sum("tax"))}
    parts = defaultdict(list)
    for invoice, rate, amount in lines_of(month).order_by().values_list("invoice", "tax_rate").annotate(Sum("amount")):
        parts[invoice].append(_Part(amount, rate))
    result: dict[int, tuple[int, int]] = {}
    for lines in parts.values():
        for rate, (taxable, tax) in taxes_of(lines).items():
            before, taxed = result.get(rate, (0, 0))
            result[rate] = (before + taxable, taxed + tax)
    return dict(sorted(result.items()))


def revenue(month: Month) -> Section:
    """Amounts before tax per service (a row each, lines without one as "other") and fee kind (a column each)."""
    sums = lines_of(month).order_by().values_list("service_code", "kind").annotate(amount=Sum("amount"))
    services = [*ServiceCode.choices, ("", _("Other"))]

    def rows():
        table = {(service, kind): amount for service, kind, amount in sums}
        for code, label in services:
            amounts = [table.get((code, kind), 0) for kind in FeeKind.values]
            if any(amounts) or code:
                yield (str(label), *amounts, sum(amounts))

    columns = (
        Column(_("service")),
        *(Column(label, YEN) for label in FeeKind.labels),
        Column(_("total before tax (yen)"), YEN),
    )
    chart = Chart(
        "column",
        _("Revenue by service and fee kind"),
        tuple(1 + FeeKind.values.index(kind) for kind in CHARTED),
        stacked=True,
    )
    return Section("revenue", _("Revenue by service"), columns, rows, lambda: len(services), chart)


def taxes(month: Month) -> Section:
    """The tax per rate over the month's invoices, then the invoices' own totals, which they add up to; for a
    month not closed, the running figures, labelled provisional."""
    closed = is_closed(month)
    per_rate = tax_per_rate(month, closed)

    def rows():
        for rate, (taxable, tax) in per_rate.items():
            yield f"{rate}%", taxable, tax, taxable + tax
        if closed:
            totals = invoices_of(month).aggregate(subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"))
            yield (
                str(_("All rates (the invoices' totals)")),
                totals["subtotal"] or 0,
                totals["tax"] or 0,
                totals["total"] or 0,
            )
        else:
            subtotal, tax = sum(t for t, _x in per_rate.values()), sum(x for _t, x in per_rate.values())
            yield provisional(_("All rates"), closed), subtotal, tax, subtotal + tax

    columns = (
        Column(_("tax rate")),
        Column(_("amount before tax (yen)"), YEN),
        Column(_("consumption tax (yen)"), YEN),
        Column(_("total (yen)"), YEN),
    )
    return Section("tax_per_rate", _("Tax per rate"), columns, rows, lambda: len(per_rate) + 1)


def figures(month: Month) -> list[Figure]:
    closed = is_closed(month)
    if closed:
        totals = invoices_of(month).aggregate(n=Count("pk"), subtotal=Sum("subtotal"), tax=Sum("tax"))
        subtotal, tax = totals["subtotal"] or 0, totals["tax"] or 0
    else:
        per_rate = tax_per_rate(month, closed)
        subtotal, tax = sum(t for t, _x in per_rate.values()), sum(x for _t, x in per_rate.values())
        totals = {"n": invoices_of(month).count()}
    kinds = dict(lines_of(month).order_by().values_list("kind").annotate(amount=Sum("amount")))
    return [
        Figure(provisional(_("Invoices (total with tax)"), closed), totals["n"], subtotal + tax),
        Figure(provisional(_("Revenue before tax"), closed), None, subtotal),
        Figure(provisional(_("Consumption tax"), closed), None, tax),
        Figure(_("Early-termination settlements invoiced"), None, kinds.get(FeeKind.SETTLEMENT, 0)),
        Figure(_("Credits invoiced"), None, kinds.get(FeeKind.CREDIT, 0)),
    ]


def provide(month: Month) -> tuple[list[Figure], list[Section]]:
    """Billing's figures and sections of ``month``."""
    return figures(month), [revenue(month), taxes(month)]
