"""Billing calculations: pure functions, no database (documented in docs/billing-calc.md).

Monthly charges, early-termination settlements (SPEC §1), consumption tax per rate on a qualified
invoice, the payment due date and the invoice registration number. Day counting is the terms'
(``contracts.terms``); the monthly run, the invoices and the settlement shown to staff call these
functions and never compute an amount themselves.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import holidays
from django.conf import settings

from backoffice.months import Month
from contracts.api import spans, terms

#: Consumption tax (消費税, national and local together) by the first day it applies, oldest first.
#: A rate change is a law: add its row here with the release that follows it.
CONSUMPTION_TAX_RATES: tuple[tuple[date, Decimal], ...] = (
    (date(1989, 4, 1), Decimal("0.03")),
    (date(1997, 4, 1), Decimal("0.05")),
    (date(2014, 4, 1), Decimal("0.08")),
    (date(2019, 10, 1), Decimal("0.10")),
)


def _check_date(value, name: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} must be a date, not {value!r}")


def _check_yen(value, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a whole number of yen ≥ 0, not {value!r}")


# --- Monthly fees -------------------------------------------------------------------------------


def prorate(monthly_fee: int, first_day: date, last_day: date) -> int:
    """The charge for ``first_day``..``last_day`` (inclusive) of one calendar month, rounded down (日割)."""
    _check_date(first_day, "first_day")
    _check_date(last_day, "last_day")
    if last_day < first_day:
        raise ValueError(f"the range {first_day}..{last_day} is reversed")
    if Month.of(first_day) != Month.of(last_day):
        raise ValueError(f"the range {first_day}..{last_day} crosses a month's end")
    return terms.prorate(monthly_fee, (last_day - first_day).days + 1, Month.of(first_day).last_day.day)


def monthly_charge(
    monthly_fee: int, *, month: Month, billing_start: date, last_day: date | None, prorated: bool
) -> int:
    """The monthly fee due for one month of a contract or option (SPEC §1).

    Service runs from ``billing_start`` through ``last_day`` (the effective end; None while it runs).
    A partial month is prorated by day, or charged in full when the row is not prorated (ISP
    Platform, SPEC §6); a month without a day of service costs nothing.
    """
    _check_yen(monthly_fee, "monthly_fee")
    _check_date(billing_start, "billing_start")
    if last_day is not None:
        _check_date(last_day, "last_day")
    month_first, month_last = month.first_day, month.last_day
    first = max(billing_start, month_first)
    last = min(last_day, month_last) if last_day else month_last
    if last < first:
        return 0
    if not prorated or (first, last) == (month_first, month_last):
        return monthly_fee
    return prorate(monthly_fee, first, last)


def isp_platform_monthly_fee(base: int, *, line_fee: int, lines: int, bandwidth_fee: int, mbps: int) -> int:
    """An ISP Platform contract's monthly fee in its three parts (annex 1 §2), never prorated (SPEC §6).

    base + line maintenance fee × line count + bandwidth fee × contracted 100 Mbps units.
    """
    for value, name in ((base, "base"), (line_fee, "line_fee"), (lines, "lines"), (bandwidth_fee, "bandwidth_fee")):
        _check_yen(value, name)
    _check_yen(mbps, "mbps")
    if mbps % 100:
        raise ValueError(f"the bandwidth is contracted in units of 100 Mbps, not {mbps!r}")
    return base + line_fee * lines + bandwidth_fee * (mbps // 100)


# --- Early-termination settlement ------------------------------------------------------------


@dataclass(frozen=True)
class RemainderMonth:
    """One calendar month of the remainder of a minimum period and what it costs."""

    first_day: date
    last_day: date
    amount: int

    @property
    def whole(self) -> bool:
        return self.first_day.day == 1 and self.last_day == Month.of(self.first_day).last_day


#: A monthly fee that may change: ``(first day, fee)`` steps in order of their day, the first from ``None``.
FeeSteps = Sequence[tuple[date | None, int]]


def remainder_months(
    monthly_fee: int | FeeSteps, effective_on: date, minimum_period_end: date, *, prorated: bool = True
) -> list[RemainderMonth]:
    """The months of a minimum period left after the last day of service, each with its fee (SPEC §1).

    ``monthly_fee`` is one fee or the fee's steps (``FeeSteps``): each day counts at the fee in force that day.
    Prorated: the days from the day after ``effective_on`` through ``minimum_period_end``, month by
    month. Not prorated: the month of ``effective_on`` is already billed in full, so each later
    calendar month up to the one holding ``minimum_period_end`` is charged in full, at the fee in force on
    its last day. Empty when the period has ended (``effective_on >= minimum_period_end``).
    """
    steps = [(None, monthly_fee)] if isinstance(monthly_fee, int) else list(monthly_fee)
    for _day, fee in steps:
        _check_yen(fee, "monthly_fee")
    _check_date(effective_on, "effective_on")
    _check_date(minimum_period_end, "minimum_period_end")
    months = []
    day = effective_on + timedelta(days=1) if prorated else Month.of(effective_on).last_day + timedelta(days=1)
    while day <= minimum_period_end:
        end = Month.of(day).last_day
        last = min(end, minimum_period_end) if prorated else end
        if prorated:
            amount = sum(prorate(fee, first, upto) for first, upto, fee in spans(steps, day, last))
        else:
            amount = spans(steps, last, last)[0][2]
        months.append(RemainderMonth(day, last, amount))
        day = end + timedelta(days=1)
    return months


def early_termination_fee(
    monthly_fee: int | FeeSteps, effective_on: date, minimum_period_end: date, *, prorated: bool = True
) -> int:
    """The settlement (最低利用期間内解除調定金) for a row whose last day of service is ``effective_on``."""
    return sum(m.amount for m in remainder_months(monthly_fee, effective_on, minimum_period_end, prorated=prorated))


# --- Consumption tax ----------------------------------------------------------------------------


def tax_rate_on(day: date) -> Decimal:
    """The consumption tax rate in force on ``day`` (``CONSUMPTION_TAX_RATES``)."""
    _check_date(day, "day")
    rates = [rate for since, rate in CONSUMPTION_TAX_RATES if since <= day]
    if not rates:
        raise ValueError(f"no consumption tax was in force on {day}")
    return rates[-1]


def tax_by_rate(lines: Iterable[tuple[Decimal, int]]) -> dict[Decimal, tuple[int, int]]:
    """Per rate: (taxable total, tax), the tax rounded down once per rate (qualified invoice system).

    Credits (negative amounts) count in their rate's total; the tax of a negative total is
    rounded toward zero, so a credit never grows by rounding.
    """
    totals: dict[Decimal, int] = {}
    for rate, amount in lines:
        if not isinstance(rate, Decimal) or not Decimal(0) <= rate < 1:
            raise ValueError(f"a tax rate must be a Decimal between 0 and 1, not {rate!r}")
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise ValueError(f"an amount must be whole yen, not {amount!r}")
        totals[rate] = totals.get(rate, 0) + amount
    return {rate: (total, int(total * rate)) for rate, total in sorted(totals.items())}


# --- Payment due date ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentTerms:
    """When an invoice is due: ``months_after`` the closing month, on ``day`` (None: the month's end).

    A day the month lacks (31 in April) is its last day.
    """

    months_after: int = 1
    day: int | None = None

    def __post_init__(self):
        if not isinstance(self.months_after, int) or isinstance(self.months_after, bool):
            raise ValueError(f"months_after must be a whole number, not {self.months_after!r}")
        if not 0 <= self.months_after <= 12:
            raise ValueError(f"months_after must lie between 0 and 12, not {self.months_after!r}")
        if self.day is not None and (not isinstance(self.day, int) or not 1 <= self.day <= 31):
            raise ValueError(f"day must be None or lie between 1 and 31, not {self.day!r}")


def payment_terms() -> PaymentTerms:
    """The terms of the ``INVOICE_PAYMENT_TERMS`` setting (a dict of ``PaymentTerms`` fields)."""
    return PaymentTerms(**getattr(settings, "INVOICE_PAYMENT_TERMS", {}))


def is_business_day(day: date) -> bool:
    """Neither a weekend, nor a Japanese public holiday, nor a bank holiday (12-31, 01-02, 01-03)."""
    _check_date(day, "day")
    return day.weekday() < 5 and day not in holidays.country_holidays("JP", categories=("public", "bank"))


def due_date(closing_month_last_day: date, rule: PaymentTerms | None = None) -> date:
    """The payment due date of an invoice of the closing month, moved to the next business day."""
    _check_date(closing_month_last_day, "closing_month_last_day")
    rule = rule or payment_terms()
    month = Month.of(closing_month_last_day).shifted(rule.months_after)
    last = month.last_day.day
    day = month.first_day.replace(day=min(rule.day or last, last))
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


# --- Invoice registration number -------------------------------------------------------------


def corporate_number_check_digit(base: str) -> int:
    """Check digit of a 12-digit corporate number base (法人番号, National Tax Agency).

    9 − (Σ Pn × Qn mod 9), Pn the n-th digit from the right, Qn 1 for odd n and 2 for even n.
    """
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError(f"a corporate number base has 12 digits, not {base!r}")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def is_registration_number(value: str) -> bool:
    """Whether ``value`` is a qualified invoice issuer's number: "T" and a valid 13-digit corporate number."""
    if not isinstance(value, str) or len(value) != 14 or value[0] != "T":
        return False
    digits = value[1:]
    if not digits.isascii() or not digits.isdigit():
        return False
    return int(digits[0]) == corporate_number_check_digit(digits[1:])
