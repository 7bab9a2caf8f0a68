"""Revenue of the month from its invoices (billing): by service and fee kind, and the tax per rate,
adding up to the invoices' own totals (amount before tax, consumption tax, total with tax)."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from backoffice.exports import YEN, Column
from backoffice.months import Month
from billing.models import Invoice, InvoiceLine, InvoiceTax
from billing.sources import FeeKind
from contracts.choices import ServiceCode

from ..report import Chart, Figure, Section

#: The fee kinds stacked on the revenue chart: what is charged (credits and adjustments stay in the table).
CHARTED = (FeeKind.INITIAL, FeeKind.MONTHLY, FeeKind.ONE_TIME, FeeKind.SETTLEMENT)


def invoices_of(month: Month):
    return Invoice.objects.filter(month__month=month.first_day)


def lines_of(month: Month):
    return InvoiceLine.objects.filter(invoice__month__month=month.first_day)


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
    """The tax per rate over the month's invoices, then the invoices' own totals, which they add up to."""
    rates = (
        InvoiceTax.objects.filter(invoice__month__month=month.first_day)
        .order_by("rate")
        .values_list("rate")
        .annotate(taxable=Sum("taxable"), tax=Sum("tax"))
    )

    def rows():
        for rate, taxable, tax in rates:
            yield f"{rate}%", taxable, tax, taxable + tax
        totals = invoices_of(month).aggregate(subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"))
        yield (
            str(_("All rates (the invoices' totals)")),
            totals["subtotal"] or 0,
            totals["tax"] or 0,
            totals["total"] or 0,
        )

    columns = (
        Column(_("tax rate")),
        Column(_("amount before tax (yen)"), YEN),
        Column(_("consumption tax (yen)"), YEN),
        Column(_("total (yen)"), YEN),
    )
    return Section("tax_per_rate", _("Tax per rate"), columns, rows, lambda: rates.count() + 1)


def figures(month: Month) -> list[Figure]:
    totals = invoices_of(month).aggregate(n=Count("pk"), subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"))
    kinds = dict(lines_of(month).order_by().values_list("kind").annotate(amount=Sum("amount")))
    return [
        Figure(_("Invoices (total with tax)"), totals["n"], totals["total"] or 0),
        Figure(_("Revenue before tax"), None, totals["subtotal"] or 0),
        Figure(_("Consumption tax"), None, totals["tax"] or 0),
        Figure(_("Early-termination settlements invoiced"), None, kinds.get(FeeKind.SETTLEMENT, 0)),
        Figure(_("Credits invoiced"), None, kinds.get(FeeKind.CREDIT, 0)),
    ]


def provide(month: Month) -> tuple[list[Figure], list[Section]]:
    """Billing's figures and sections of ``month``."""
    return figures(month), [revenue(month), taxes(month)]
