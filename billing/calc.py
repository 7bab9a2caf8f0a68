"""Billing calculations: pure functions, no database (documented in docs/billing-calc.md).

Consumption tax per rate on a qualified invoice, the payment due date and the invoice registration
number. What a period of service costs is ``billing.pricing``'s; the run, the closing and the invoices
call these functions and never compute a tax or a date themselves.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import holidays
from django.conf import settings

from backoffice.months import Month

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
