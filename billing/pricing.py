"""The price of a period: the one place an amount is computed from the prices in force (SPEC §1, §6).

Pure, no database. Prices hold from their first day and follow a contract through every change: a
schedule is ``(first day or None, price)`` steps (``contracts.prices.Schedule.steps``). The terms say
whether a row is prorated and when its minimum period ends (``contracts.terms``, frozen on the row). A
period is priced one calendar month at a time, in ``Part``s:

- prorated (日割): cut where the price changes, each part fee × days ÷ days in the month, rounded down to
  the yen (a whole month is the fee);
- not prorated (ISP Platform, SPEC §6): the month in full at the price in force on its last day priced.

The monthly run's lines (``contract_charges``) and the early-termination settlement (``settlement``) are
these parts; neither computes an amount itself.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backoffice.months import Month
from contracts.api import spans

#: A price schedule: ``(first day, price)`` steps in order of their day, the first from ``None``.
type Steps[T] = Sequence[tuple[date | None, T]]
#: A monthly fee that may change: its steps.
FeeSteps = Steps[int]

MBPS_PER_UNIT = 100


def _check_date(value, name: str) -> None:
    # A datetime is a date subclass but would carry a time of day into day counting.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} must be a date, not {value!r}")


def _check_yen(value, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a whole number of yen ≥ 0, not {value!r}")


def prorate_days(monthly_fee: int, days_used: int, days_in_month: int) -> int:
    """A monthly fee for part of a month: fee × days used ÷ days in the month, rounded down to the yen."""
    _check_yen(monthly_fee, "monthly_fee")
    for value, name, least in ((days_in_month, "days_in_month", 28), (days_used, "days_used", 0)):
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise ValueError(f"{name} must be a whole number of at least {least}, not {value!r}")
    if days_in_month > 31:
        raise ValueError(f"a month has at most 31 days, not {days_in_month}")
    if days_used > days_in_month:
        raise ValueError("days used must lie between 0 and the days of the month")
    return monthly_fee * days_used // days_in_month


def prorate(monthly_fee: int, first_day: date, last_day: date) -> int:
    """The charge for ``first_day``..``last_day`` (inclusive) of one calendar month, rounded down (日割)."""
    _check_date(first_day, "first_day")
    _check_date(last_day, "last_day")
    if last_day < first_day:
        raise ValueError(f"the range {first_day}..{last_day} is reversed")
    if (first_day.year, first_day.month) != (last_day.year, last_day.month):
        raise ValueError(f"the range {first_day}..{last_day} crosses a month's end")
    return prorate_days(monthly_fee, (last_day - first_day).days + 1, Month.of(first_day).last_day.day)


@dataclass(frozen=True)
class Part[T]:
    """Days of one month at one price, and what they cost."""

    first_day: date
    last_day: date
    price: T
    amount: int


def _fee(price) -> int:
    return price


def priced[T](
    steps: Steps[T], first_day: date, last_day: date, *, prorated: bool, fee: Callable[[T], int] = _fee
) -> list[Part[T]]:
    """``first_day``..``last_day`` (days of one month) at the prices of ``steps``, ``fee`` giving a price's
    monthly fee (the price itself when it is one).

    Prorated: a part per price in force, each by day (a whole month at one price is its fee). Not prorated:
    one part, the fee in full at the price in force on ``last_day``.
    """
    if not prorated:
        price = spans(steps, last_day, last_day)[0][2]
        return [Part(first_day, last_day, price, _checked(fee(price)))]
    parts = spans(steps, first_day, last_day)
    if len(parts) == 1 and first_day.day == 1 and last_day == Month.of(first_day).last_day:
        price = parts[0][2]
        return [Part(first_day, last_day, price, _checked(fee(price)))]
    return [Part(first, last, price, prorate(fee(price), first, last)) for first, last, price in parts]


def _checked(fee: int) -> int:
    _check_yen(fee, "monthly_fee")
    return fee


def month_parts[T](
    steps: Steps[T],
    month: Month,
    *,
    billing_start: date,
    last_day: date | None,
    prorated: bool,
    fee: Callable[[T], int] = _fee,
) -> list[Part[T]]:
    """The days of ``month`` a row is in service, priced (``priced``): service runs from ``billing_start``
    through ``last_day`` (its last day of service, None while it runs); none in the month, no parts."""
    first = max(billing_start, month.first_day)
    last = min(last_day, month.last_day) if last_day else month.last_day
    return priced(steps, first, last, prorated=prorated, fee=fee) if first <= last else []


def monthly_charge(
    monthly_fee: int, *, month: Month, billing_start: date, last_day: date | None, prorated: bool
) -> int:
    """The monthly fee due for one month of a contract or option at one price (``month_parts``, SPEC §1).

    A partial month is prorated by day, or charged in full when the row is not prorated (ISP Platform,
    SPEC §6); a month without a day of service costs nothing.
    """
    _check_yen(monthly_fee, "monthly_fee")
    _check_date(billing_start, "billing_start")
    if last_day is not None:
        _check_date(last_day, "last_day")
    parts = month_parts([(None, monthly_fee)], month, billing_start=billing_start, last_day=last_day, prorated=prorated)
    return sum(part.amount for part in parts)


# --- ISP Platform's fee in three parts (annex 1 §2) ------------------------------------------------


def isp_platform_parts(*, line_fee: int, lines: int, bandwidth_fee: int, mbps: int) -> tuple[tuple[int, int], ...]:
    """The line maintenance and bandwidth parts of an ISP Platform fee, ``(unit price, quantity)`` each:
    per line, and per contracted 100 Mbps unit. Never prorated (SPEC §6)."""
    return (line_fee, lines), (bandwidth_fee, mbps // MBPS_PER_UNIT)


def isp_platform_monthly_fee(base: int, *, line_fee: int, lines: int, bandwidth_fee: int, mbps: int) -> int:
    """An ISP Platform contract's monthly fee: base + line maintenance fee × line count + bandwidth fee ×
    contracted 100 Mbps units (``isp_platform_parts``)."""
    for value, name in ((base, "base"), (line_fee, "line_fee"), (lines, "lines"), (bandwidth_fee, "bandwidth_fee")):
        _check_yen(value, name)
    _check_yen(mbps, "mbps")
    if mbps % MBPS_PER_UNIT:
        raise ValueError(f"the bandwidth is contracted in units of 100 Mbps, not {mbps!r}")
    parts = isp_platform_parts(line_fee=line_fee, lines=lines, bandwidth_fee=bandwidth_fee, mbps=mbps)
    return base + sum(unit_price * quantity for unit_price, quantity in parts)


# --- The rest of a minimum period (最低利用期間内解除調定金) ------------------------------------


@dataclass(frozen=True)
class RemainderMonth:
    """One calendar month of the remainder of a minimum period and what it costs."""

    first_day: date
    last_day: date
    amount: int

    @property
    def whole(self) -> bool:
        return self.first_day.day == 1 and self.last_day == Month.of(self.first_day).last_day


def remainder_months(
    monthly_fee: int | FeeSteps, effective_on: date, minimum_period_end: date, *, prorated: bool = True
) -> list[RemainderMonth]:
    """The months of a minimum period left after the last day of service, each with its fee (SPEC §1).

    ``monthly_fee`` is one fee or the fee's steps (``FeeSteps``). Prorated: the days from the day after
    ``effective_on`` through ``minimum_period_end``, each day at the fee in force that day. Not prorated: the
    month of ``effective_on`` is already billed in full, so each later calendar month up to the one holding
    ``minimum_period_end`` is charged in full, at the fee in force on its last day. Empty when the period has
    ended (``effective_on >= minimum_period_end``).
    """
    steps = [(None, monthly_fee)] if isinstance(monthly_fee, int) else monthly_fee
    for _day, fee in steps:
        _check_yen(fee, "monthly_fee")
    _check_date(effective_on, "effective_on")
    _check_date(minimum_period_end, "minimum_period_end")
    months = []
    day = effective_on + timedelta(days=1) if prorated else Month.of(effective_on).last_day + timedelta(days=1)
    while day <= minimum_period_end:
        end = Month.of(day).last_day
        last = min(end, minimum_period_end) if prorated else end
        parts = priced(steps, day, last, prorated=prorated)
        months.append(RemainderMonth(day, last, sum(part.amount for part in parts)))
        day = end + timedelta(days=1)
    return months


def early_termination_fee(
    monthly_fee: int | FeeSteps, effective_on: date, minimum_period_end: date, *, prorated: bool = True
) -> int:
    """The settlement (最低利用期間内解除調定金) for a row whose last day of service is ``effective_on``."""
    return sum(m.amount for m in remainder_months(monthly_fee, effective_on, minimum_period_end, prorated=prorated))
