"""Equipment of the month (equipment): units by model and state, the units overdue for return at month
end, and the loss, damage and failure-handling charges assessed in the month with their state now."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from backoffice.exports import DATE, NUMBER, YEN, Column
from backoffice.months import Month
from equipment.choices import ChargeKind, ChargeState, UnitState
from equipment.models import Charge, Unit
from equipment.selectors import overdue_q

from ..report import Figure, Section

CHUNK = 5000


def units_by_state() -> Section:
    """Units per model and state, as they stand when the report is made (unit states are not dated)."""
    counts = (
        Unit.objects.order_by("unit_model__maker", "unit_model__name", "status")
        .values_list("unit_model__maker", "unit_model__name", "status")
        .annotate(n=Count("pk"), cost=Sum("acquisition_cost"))
    )
    states = dict(UnitState.choices)

    def rows():
        for maker, name, status, n, cost in counts:
            yield maker, name, str(states.get(status, status)), n, cost

    columns = (
        Column(_("maker")),
        Column(_("model name")),
        Column(_("state")),
        Column(_("units"), NUMBER),
        Column(_("acquisition cost (yen)"), YEN),
    )
    return Section("units_by_state", _("Units by model and state"), columns, rows, counts.count)


def overdue(month: Month):
    return Unit.objects.filter(overdue_q(month.last_day)).select_related("unit_model", "contract__customer")


def overdue_returns(month: Month) -> Section:
    """Units still awaited whose return deadline had passed at the end of the month."""
    queryset = overdue(month).order_by("return_deadline", "serial")
    states = dict(UnitState.choices)

    def rows():
        for unit in queryset.iterator(chunk_size=CHUNK):
            contract = unit.contract
            yield (
                unit.serial,
                unit.unit_model.name,
                str(states.get(unit.status, unit.status)),
                unit.return_deadline,
                contract.number if contract else "",
                contract.customer.name if contract else "",
            )

    columns = (
        Column(_("serial number")),
        Column(_("model name")),
        Column(_("state")),
        Column(_("return deadline"), DATE),
        Column(_("contract number")),
        Column(_("customer")),
    )
    return Section("overdue_returns", _("Overdue returns"), columns, rows, queryset.count)


def charges_of(month: Month):
    return Charge.objects.filter(assessed_on__range=(month.first_day, month.last_day))


def charges(month: Month) -> Section:
    """The month's charges per kind and state (assessed, approved, rejected, invoiced): count and amount."""
    sums = charges_of(month).order_by().values_list("kind", "status").annotate(n=Count("pk"), amount=Sum("amount"))

    def rows():
        table = {(kind, status): (n, amount) for kind, status, n, amount in sums}
        for kind, kind_label in ChargeKind.choices:
            for status, status_label in ChargeState.choices:
                n, amount = table.get((kind, status), (0, 0))
                yield str(kind_label), str(status_label), n, amount

    columns = (
        Column(_("charge")),
        Column(_("state")),
        Column(_("number of charges"), NUMBER),
        Column(_("amount (yen)"), YEN),
    )
    return Section(
        "equipment_charges", _("Equipment charges"), columns, rows, lambda: len(ChargeKind) * len(ChargeState)
    )


def figures(month: Month) -> list[Figure]:
    charged = charges_of(month).exclude(status=ChargeState.REJECTED).aggregate(n=Count("pk"), amount=Sum("amount"))
    return [
        Figure(_("Equipment charges assessed in the month (not rejected)"), charged["n"], charged["amount"] or 0),
        Figure(_("Units overdue for return at month end"), overdue(month).count()),
    ]


def provide(month: Month) -> tuple[list[Figure], list[Section]]:
    """Equipment's figures and sections of ``month``."""
    return figures(month), [units_by_state(), overdue_returns(month), charges(month)]
