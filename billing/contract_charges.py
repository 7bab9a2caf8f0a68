"""Billing's own charge source: what contracts and options owe for a month (SPEC §1, §6).

It reads contracts only through ``contracts.selectors`` (four queries per month, whatever the number
of contracts) and counts amounts with ``billing.calc`` and ``billing.settlement``:

- the initial fee, in the month of acceptance;
- the monthly fee for the days of service in the month, prorated by day when the frozen terms say
  so; ISP Platform in three parts (base, line maintenance × lines, bandwidth × 100 Mbps units), never
  prorated; router rental per unit;
- the early-termination settlement of a contract or option that ended in the month before its
  minimum period's end (the router rental cancellation fee per unit is the equipment app's source,
  which also charges the units a change drops);
- change fees and manual one-time fees.

Source keys: ``contract:<id>:<what>``, ``option:<id>:<what>``, ``change:<id>``, ``fee:<id>``; a monthly
fee's key ends with its month (``contract:7:monthly:2026-09``), so each month of service is billed once.
Counts (lines, routers) are those in force on the month's last day, so a run gives the same amounts
whatever the day it runs (docs/decisions.md). ``late_charges`` gives what a closed month owes now for the
rows recorded or changed after it was issued: the run bills the difference in the next open month.
"""

from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _

from backoffice.months import Month
from contracts import selectors
from contracts.choices import ServiceCode

from . import calc
from .settlement import settlement_for
from .sources import Charge, FeeKind

MBPS_PER_UNIT = 100
#: The sources' key prefixes of this module: the run reads back what issued invoices charged for them.
KEY_PREFIXES = ("contract:", "option:", "change:", "fee:")


def last_day_of_service(row) -> date | None:
    """The last day of service: the end of a terminated row, else of a pending cancellation."""
    return row.terminated_on or row.effective_end_on


def service_days(row, period: Month) -> tuple[date, date] | None:
    """The first and last day ``row`` is in service within ``period``, or None (not billed yet)."""
    if row.billing_start_on is None:
        return None
    end = last_day_of_service(row)
    first = max(period.first_day, row.billing_start_on)
    last = min(period.last_day, end) if end else period.last_day
    return (first, last) if first <= last else None


def monthly_amount(fee: int, row, period: Month) -> int:
    """``fee`` due for the month by ``row``'s service days and proration rule (``calc.monthly_charge``)."""
    return calc.monthly_charge(
        fee,
        month=period,
        billing_start=row.billing_start_on,
        last_day=last_day_of_service(row),
        prorated=bool(row.prorated),
    )


def span(days: tuple[date, date]) -> str:
    return f"{days[0]:%m/%d}〜{days[1]:%m/%d}"


def contract_charges(month: Month) -> Iterator[Charge]:
    """What contracts and options owe for ``month`` (the registered source)."""
    return _charges(month, touched_since=None)


def late_charges(month: Month, *, touched_since: datetime) -> Iterator[Charge]:
    """What ``month`` owes now from the rows recorded or changed after ``touched_since`` (a closed month's
    issue): the run compares it with what the month's invoices charged."""
    return _charges(month, touched_since=touched_since)


def _charges(period: Month, *, touched_since: datetime | None) -> Iterator[Charge]:
    rows = {"month": period, "touched_since": touched_since}
    for row in selectors.billable_contracts(**rows):
        yield from _of_row(row, f"contract:{row.pk}", row, str(row.item), period)
    for option in selectors.billable_options(**rows):
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


def _of_row(row, key: str, contract, name: str, period: Month) -> Iterator[Charge]:
    """The charges of one contract or option (``contract`` is the row itself or the option's contract)."""
    common = {"customer_id": contract.customer_id, "contract_id": contract.pk, "service_code": contract.service_id}
    label = f"{name} ({contract.number})"
    if row.initial_fee and period.first_day <= row.accepted_on <= period.last_day:
        yield Charge(
            source_key=f"{key}:initial",
            kind=FeeKind.INITIAL,
            description=_("Initial fee: %(name)s") % {"name": label},
            amount=row.initial_fee,
            occurred_on=row.accepted_on,
            **common,
        )
    days = service_days(row, period)
    if days is not None:
        yield from _monthly(row, key, label, days, period, common)
    ended = row.terminated_on
    if ended is not None and period.first_day <= ended <= period.last_day:
        yield from _ending(row, key, label, ended, common)


def _monthly(row, key, label, days, period, common) -> Iterator[Charge]:
    monthly = {"kind": FeeKind.MONTHLY, "occurred_on": days[1], **common}
    fee = monthly_amount(row.monthly_fee, row, period)
    shown = {"name": label, "days": span(days)}
    description = (
        _("Monthly fee: %(name)s %(days)s") if fee == row.monthly_fee else _("Monthly fee: %(name)s %(days)s prorated")
    ) % shown
    if getattr(row, "kind_id", None) == selectors.ROUTER_RENTAL:  # per router lent (ISP Platform annex 1)
        units = row.units_then
        yield Charge(
            source_key=f"{key}:monthly:{period}",
            description=description,
            amount=fee * units,
            quantity=units,
            unit_price=fee,
            **monthly,
        )
    elif row.monthly_fee:
        yield Charge(source_key=f"{key}:monthly:{period}", description=description, amount=fee, **monthly)
    if key.startswith("contract:") and row.service_id == ServiceCode.ISP_PLATFORM:
        yield from _isp_parts(row, key, label, days, period, monthly)


def _isp_parts(row, key, label, days, period, monthly) -> Iterator[Charge]:
    """ISP Platform's line maintenance and bandwidth fees (annex 1 §2): per line, per 100 Mbps; never prorated."""
    parts = (
        ("line_maintenance", _("Line maintenance fee"), row.line_fee or 0, row.line_count_then or 0),
        ("bandwidth", _("Bandwidth fee"), row.bandwidth_fee or 0, row.bandwidth_mbps // MBPS_PER_UNIT),
    )
    for what, title, unit_price, quantity in parts:
        if unit_price and quantity:
            yield Charge(
                source_key=f"{key}:{what}:{period}",
                description=f"{title}: {label} {span(days)}",
                amount=unit_price * quantity,
                quantity=quantity,
                unit_price=unit_price,
                **monthly,
            )


def _ending(row, key, label, ended, common) -> Iterator[Charge]:
    settlement = settlement_for(row, ended)
    if settlement.amount:
        yield Charge(
            source_key=f"{key}:settlement",
            kind=FeeKind.SETTLEMENT,
            description=_("Early-termination settlement: %(name)s") % {"name": label},
            amount=settlement.amount,
            occurred_on=ended,
            **common,
        )
