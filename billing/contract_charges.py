"""Billing's own charge source: what contracts and options owe for a month (SPEC §1, §6).

It reads contracts only through ``contracts.selectors`` (a handful of queries per month, whatever the
number of contracts) and has every amount priced by ``billing.pricing`` (a settlement through
``billing.settlement``). A run reads tens of thousands of contracts: they come as plain values (a model
each, with its related rows, was most of a run's time), all but those ending in the month, whose
settlement reads their terms from the model. What it charges:

- the initial fee, in the month of acceptance;
- the monthly fee for the days of service in the month at the prices in force each day (``contracts.prices``),
  prorated by day when the frozen terms say so, a line per price; not prorated (ISP Platform in three parts:
  base, line maintenance × lines, bandwidth × 100 Mbps units), at the prices in force on the last day
  billed; router rental per unit;
- the early-termination settlement of a contract or option that ended in the month before its
  minimum period's end (the router rental cancellation fee per unit is the equipment app's source,
  which also charges the units a change drops);
- change fees and manual one-time fees.

Source keys: ``contract:<id>:<what>``, ``option:<id>:<what>``, ``change:<id>``, ``fee:<id>``; a monthly
fee's key ends with its month (``contract:7:monthly:2026-09``), so each month of service is billed once; the
days from a price that started within the month add the day (``contract:7:monthly:2026-09:15``).
Counts (lines, routers) are those in force on the month's last day, so a run gives the same amounts
whatever the day it runs (docs/decisions.md). ``late_charges`` gives what a closed month owes now for the
rows recorded or changed after it was issued: the run bills the difference in the next open month.
"""

from collections.abc import Callable, Iterator
from datetime import date, datetime
from operator import attrgetter
from types import SimpleNamespace

from django.utils.translation import gettext as _

from backoffice.months import Month
from contracts import selectors
from contracts.api import CONTRACT_PRICES, OPTION_PRICES, Prices, Schedule
from contracts.choices import ServiceCode

from . import pricing
from .pricing import Part
from .settlement import settlement_for
from .sources import Charge, FeeKind

#: A price's monthly fee: what a part of a month is priced at (an ISP Platform contract's base, its line
#: maintenance and bandwidth fees charged beside it).
MONTHLY_FEE = attrgetter("monthly_fee")
#: The sources' key prefixes of this module: the run reads back what issued invoices charged for them.
KEY_PREFIXES = ("contract:", "option:", "change:", "fee:")
#: What the charges read of a billable contract or option (``selectors``), and of an option's contract.
ROW_VALUES = ("pk", "initial_fee", "accepted_on", "billing_start_on", "terminated_on", "effective_end_on", "prorated")
CONTRACT_VALUES = (
    *ROW_VALUES,
    *("monthly_fee", "customer_id", "number", "service_id", "item_id"),
    *("line_fee", "line_count_then", "bandwidth_fee", "bandwidth_mbps"),
)
OPTION_VALUES = (
    *ROW_VALUES,
    *("monthly_fee", "kind_id", "units_then"),
    *("contract_id", "contract__customer_id", "contract__number", "contract__service_id"),
)


def last_day_of_service(row) -> date | None:
    """The last day of service: the end of a terminated row, else of a pending cancellation."""
    return row.terminated_on or row.effective_end_on


def span(part: Part) -> str:
    return f"{part.first_day:%m/%d}〜{part.last_day:%m/%d}"


def contract_charges(month: Month) -> Iterator[Charge]:
    """What contracts and options owe for ``month`` (the registered source)."""
    return _charges(month, touched_since=None)


def late_charges(month: Month, *, touched_since: datetime) -> Iterator[Charge]:
    """What ``month`` owes now from the rows recorded or changed after ``touched_since`` (a closed month's
    issue): the run compares it with what the month's invoices charged."""
    return _charges(month, touched_since=touched_since)


def _charges(period: Month, *, touched_since: datetime | None) -> Iterator[Charge]:
    rows = {"month": period, "touched_since": touched_since}
    for row in _contracts(period, touched_since):
        yield from _of_row(row, f"contract:{row.pk}", row, str(row.item), period)
    for option in _options(period, touched_since):
        yield from _of_row(option, f"option:{option.pk}", option.contract, str(option.kind), period)
    for change in selectors.change_fees(**rows):
        yield Charge(
            source_key=f"change:{change.pk}",
            customer_id=change.contract.customer_id,
            kind=FeeKind.ONE_TIME,
            description=_("Change fee: %(change)s (%(contract)s)")
            % {"change": change.get_kind_display(), "contract": change.contract.number},
            amount=change.fee,
            occurred_on=change.accepted_on,
            contract_id=change.contract_id,
            service_code=change.contract.service_id,
        )
    for fee in selectors.one_time_fees(**rows):
        yield Charge(
            source_key=f"fee:{fee.pk}",
            customer_id=fee.contract.customer_id,
            kind=FeeKind.ONE_TIME,
            description=f"{fee.get_kind_display()} ({fee.contract.number})",
            amount=fee.amount,
            occurred_on=fee.incurred_on,
            contract_id=fee.contract_id,
            service_code=fee.contract.service_id,
        )


def _contracts(period: Month, touched_since: datetime | None) -> list:
    """The billable contracts (plain: each its own contract), each with its ``schedule`` of prices."""
    rows = selectors.billable_contracts(month=period, touched_since=touched_since)
    return _plain_rows(rows, CONTRACT_VALUES, "item", period, lambda values: SimpleNamespace(**values))


def _options(period: Month, touched_since: datetime | None) -> list:
    """The billable options, each with its ``contract`` (plain: its id, customer, number and service) and its
    ``schedule`` of prices."""

    def plain(values: dict) -> SimpleNamespace:
        contract = {name: values.pop(f"contract__{name}") for name in ("customer_id", "number", "service_id")}
        return SimpleNamespace(contract=SimpleNamespace(pk=values["contract_id"], **contract), **values)

    rows = selectors.billable_options(month=period, touched_since=touched_since)
    return _plain_rows(rows, OPTION_VALUES, "kind", period, plain)


def _plain_rows(queryset, fields, named: str, period: Month, plain: Callable[[dict], SimpleNamespace]) -> list:
    """``queryset``'s rows in its order: ``plain`` of their ``fields`` and of the name of the catalog row
    ``named`` points to (read once, in the active language), but a model for a row ending in ``period``; each
    with its ``schedule`` of prices up to the month's last day (one query for all)."""
    rows = list(queryset.values(*fields))
    related = queryset.model._meta.get_field(named).related_model
    names = {pk: str(row) for pk, row in related.objects.in_bulk({row[f"{named}_id"] for row in rows}).items()}
    ending = [row["pk"] for row in rows if _ends_in(row["terminated_on"], period)]
    models = queryset.in_bulk(ending) if ending else {}
    kind, components = ("contract", CONTRACT_PRICES) if named == "item" else ("option", OPTION_PRICES)
    dated = selectors.dated_prices(**{f"{kind}s": [row["pk"] for row in rows]}, up_to=period.last_day)
    found = []
    for values in rows:
        row = models.get(values["pk"]) or plain({**values, named: names[values[f"{named}_id"]]})
        base = {name: values.get(name) for name in components}
        base.update(item_id=values.get("item_id"), item_name=names[values[f"{named}_id"]] if kind == "contract" else "")
        row.schedule = Schedule.of(base, dated.get((kind, values["pk"]), ()))
        found.append(row)
    return found


def _ends_in(ended: date | None, period: Month) -> bool:
    return ended is not None and period.first_day <= ended <= period.last_day


def _of_row(row, key: str, contract, name: str, period: Month) -> Iterator[Charge]:
    """The charges of one contract or option (``contract`` is the row itself or the option's contract): its
    initial fee, its month's days of service a line per price in force, and its settlement if it ended."""
    common = {"customer_id": contract.customer_id, "contract_id": contract.pk, "service_code": contract.service_id}
    label = f"{name} ({contract.number})"
    if row.initial_fee and period.first_day <= row.accepted_on <= period.last_day:
        yield _initial(row, key, label, common)
    for index, part in enumerate(_service_parts(row, period)):
        suffix = f":{part.first_day:%d}" if index else ""
        yield from _monthly(row, key, _named(row, part.price, label), part, period, common, suffix)
    if _ends_in(row.terminated_on, period):
        yield from _settlement(row, key, label, common)


def _initial(row, key, label, common) -> Charge:
    return Charge(
        source_key=f"{key}:initial",
        kind=FeeKind.INITIAL,
        description=_("Initial fee: %(name)s") % {"name": _named(row, row.schedule.on(row.accepted_on), label)},
        amount=row.initial_fee,
        occurred_on=row.accepted_on,
        **common,
    )


def _service_parts(row, period: Month) -> list[Part[Prices]]:
    """The days ``row`` is in service in ``period``, priced at the prices in force (``pricing.month_parts``):
    none before its billing start."""
    if row.billing_start_on is None:
        return []
    return pricing.month_parts(
        row.schedule.steps,
        period,
        billing_start=row.billing_start_on,
        last_day=last_day_of_service(row),
        prorated=bool(row.prorated),
        fee=MONTHLY_FEE,
    )


def _named(row, prices: Prices, label: str) -> str:
    """A contract's line names the item in force in the part of the month it charges, not today's item."""
    contract = getattr(row, "contract", None)
    if contract is not None or not prices.item_name:
        return label
    return f"{prices.item_name} ({row.number})"


def _monthly(row, key, label, part: Part[Prices], period, common, suffix: str) -> Iterator[Charge]:
    """The monthly fee of one part of the month (one set of prices); ``suffix`` tells a part after the first
    apart (the day its prices start)."""
    monthly = {"kind": FeeKind.MONTHLY, "occurred_on": part.last_day, **common}
    shown = {"name": label, "days": span(part)}
    prorated = part.amount != part.price.monthly_fee
    description = (
        _("Monthly fee: %(name)s %(days)s prorated") if prorated else _("Monthly fee: %(name)s %(days)s")
    ) % shown
    source_key = f"{key}:monthly:{period}{suffix}"
    if getattr(row, "kind_id", None) == selectors.ROUTER_RENTAL:  # per router lent (ISP Platform annex 1)
        units = row.units_then
        yield Charge(
            source_key=source_key,
            description=description,
            amount=part.amount * units,
            quantity=units,
            unit_price=part.amount,
            **monthly,
        )
    elif part.price.monthly_fee:
        yield Charge(source_key=source_key, description=description, amount=part.amount, **monthly)
    if key.startswith("contract:") and row.service_id == ServiceCode.ISP_PLATFORM:
        yield from _isp_parts(row, key, label, part, period, monthly)


def _isp_parts(row, key, label, part: Part[Prices], period, monthly) -> Iterator[Charge]:
    """ISP Platform's line maintenance and bandwidth fees (annex 1 §2): per line, per 100 Mbps; never prorated."""
    prices = part.price
    priced = pricing.isp_platform_parts(
        line_fee=prices.line_fee,
        lines=row.line_count_then or 0,
        bandwidth_fee=prices.bandwidth_fee,
        mbps=row.bandwidth_mbps,
    )
    named = (("line_maintenance", _("Line maintenance fee")), ("bandwidth", _("Bandwidth fee")))
    for (what, title), (unit_price, quantity) in zip(named, priced, strict=True):
        if unit_price and quantity:
            yield Charge(
                source_key=f"{key}:{what}:{period}",
                description=f"{title}: {label} {span(part)}",
                amount=unit_price * quantity,
                quantity=quantity,
                unit_price=unit_price,
                **monthly,
            )


def _settlement(row, key, label, common) -> Iterator[Charge]:
    """The early-termination settlement of a row that ended in the month, at the prices in force."""
    settlement = settlement_for(row, row.terminated_on, schedule=row.schedule)
    if settlement.amount:
        yield Charge(
            source_key=f"{key}:settlement",
            kind=FeeKind.SETTLEMENT,
            description=_("Early-termination settlement: %(name)s") % {"name": label},
            amount=settlement.amount,
            occurred_on=row.terminated_on,
            **common,
        )
