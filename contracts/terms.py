"""Date and amount calculations of the terms: pure functions, no database.

Public API (documented in docs/terms-api.md); the rest of the product and outside scripts call
these and never count dates themselves. Periods are counted the Civil Code way (SPEC §1).
"""

import calendar
from datetime import date, timedelta

from .choices import ServiceCode

#: Days of notice for cancelling a contract, per service (SPEC §1): 45 for Managed Router
#: (art. 10), 30 for the others; every option stop is 30 days.
CONTRACT_NOTICE_DAYS: dict[str, int] = {
    ServiceCode.CXM2: 30,
    ServiceCode.CLOUD_PROXY: 30,
    ServiceCode.SMART_HUB: 30,
    ServiceCode.MANAGED_ROUTER: 45,
    ServiceCode.ISP_PLATFORM: 30,
}
OPTION_NOTICE_DAYS = 30


def _add_months_civil(start: date, months: int) -> date:
    """Last day of a period of ``months`` months whose first day is ``start`` (Civil Code art. 143).

    The period ends the day before the day corresponding to ``start`` in the last month; when
    that month has no such day, it ends on that month's last day.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


def minimum_period_end(start: date, months: int) -> date:
    """Last day (inclusive) of a minimum period of ``months`` months starting on ``start``.

    ``start`` (the billing start) counts as day one: 01-15 + 1 month → 02-14; 01-31 → 02-28
    (02-29 in a leap year); 2024-02-29 + 12 months → 2025-02-28.
    """
    if months < 1:
        raise ValueError("a minimum period has at least one month")
    return _add_months_civil(start, months)


def window_end(event_on: date, months: int) -> date:
    """Last day of a window of ``months`` months counted from an event (Civil Code art. 140).

    The event's own day is not counted: 2025-01-10 + 3 months → 2025-04-10;
    2025-02-28 + 3 months → 2025-05-31.
    """
    return minimum_period_end(event_on + timedelta(days=1), months)


def notice_effective_date(received_on: date, requested_on: date | None, notice_days: int) -> date:
    """The day a cancellation or option stop takes effect (解除の効力が生ずる日).

    The later of the day on which ``notice_days`` days have passed from arrival
    (arrival + N days) and the day the customer asked for. It is the last day of service.
    """
    if notice_days < 0:
        raise ValueError("notice days cannot be negative")
    earliest = received_on + timedelta(days=notice_days)
    return max(earliest, requested_on) if requested_on else earliest


def cancellation_effective_date(service_code: str, received_on: date, requested_on: date | None = None) -> date:
    """Effective date of cancelling a contract of ``service_code`` (30 days; Managed Router 45)."""
    try:
        days = CONTRACT_NOTICE_DAYS[ServiceCode(service_code)]
    except ValueError:
        raise ValueError(f"unknown service code: {service_code!r}") from None
    return notice_effective_date(received_on, requested_on, days)


def prorate(monthly_fee: int, days_used: int, days_in_month: int) -> int:
    """A monthly fee for part of a month: fee × days used ÷ days in the month, rounded down to the yen."""
    if not 0 <= days_used <= days_in_month:
        raise ValueError("days used must lie between 0 and the days of the month")
    return monthly_fee * days_used // days_in_month
