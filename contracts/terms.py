"""Date calculations of the terms and which settlement they waive: pure functions, no database.

Public API (documented in docs/terms-api.md); the rest of the product and outside scripts call
these and never count dates themselves. Periods are counted the Civil Code way (SPEC §1). What a
period costs is billing's (``billing.pricing``), from the proration and minimum period these give.
"""

from datetime import date, datetime, timedelta

from backoffice.months import Month

from .catalog_data import notice_of
from .choices import ServiceCode, TerminationReason

#: Whose early-termination settlement the terms waive when the customer terminated under general terms
#: art. 28 ¶2/¶3: every contract (CXM2 art. 12 ¶1, Cloud Proxy art. 14 ¶1, Managed Router art. 12 ¶1, ISP
#: Platform art. 11; Smart HUB has no contract settlement) and, of the options, only Managed Router's
#: (art. 12 ¶2). CXM2 art. 12 ¶2, Cloud Proxy art. 14 ¶2 and Smart HUB art. 8 name no exception for options.
ART28_WAIVES_OPTIONS = frozenset({ServiceCode.MANAGED_ROUTER})
ART28 = frozenset({TerminationReason.GT_ART28_2, TerminationReason.GT_ART28_3})


def _check_date(value, name: str) -> None:
    # A datetime is a date subclass but would carry a time of day into day counting.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} must be a date, not {value!r}")


def _check_count(value, name: str, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}")


def _add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise ValueError(f"{day} + {days} days is out of the calendar's range") from None


def _add_months_civil(start: date, months: int) -> date:
    """Last day of a period of ``months`` months whose first day is ``start`` (Civil Code art. 143).

    The period ends the day before the day corresponding to ``start`` in the last month; when
    that month has no such day, it ends on that month's last day.
    """
    month = Month.of(start).shifted(months)
    if month.year > date.max.year:
        raise ValueError(f"{start} + {months} months is out of the calendar's range")
    if start.day > month.last_day.day:
        return month.last_day
    return month.first_day.replace(day=start.day) - timedelta(days=1)


def minimum_period_end(start: date, months: int) -> date:
    """Last day (inclusive) of a minimum period of ``months`` months starting on ``start``.

    ``start`` (the billing start) counts as day one: 01-15 + 1 month → 02-14; 01-31 → 02-28
    (02-29 in a leap year); 2024-02-29 + 12 months → 2025-02-28.
    """
    _check_date(start, "start")
    _check_count(months, "months", 1)
    return _add_months_civil(start, months)


def window_end(event_on: date, months: int) -> date:
    """Last day of a window of ``months`` months counted from an event (Civil Code art. 140).

    The event's own day is not counted: 2025-01-10 + 3 months → 2025-04-10;
    2025-02-28 + 3 months → 2025-05-31.
    """
    _check_date(event_on, "event_on")
    return minimum_period_end(_add_days(event_on, 1), months)


def notice_effective_date(received_on: date, requested_on: date | None, notice_days: int) -> date:
    """The day a cancellation or option stop takes effect (解除の効力が生ずる日).

    The later of the day on which ``notice_days`` days have passed from arrival
    (arrival + N days) and the day the customer asked for. It is the last day of service.
    """
    _check_date(received_on, "received_on")
    if requested_on is not None:
        _check_date(requested_on, "requested_on")
    _check_count(notice_days, "notice_days", 0)
    earliest = _add_days(received_on, notice_days)
    return max(earliest, requested_on) if requested_on else earliest


def cancellation_effective_date(
    service_code: str, received_on: date, requested_on: date | None = None, *, option: bool = False
) -> date:
    """Effective date of cancelling a contract of ``service_code`` (or stopping one of its options) under
    the catalog's notice period (``catalog_data.CONTRACT_NOTICE``, ``OPTION_NOTICE``).

    An existing contract or option keeps the notice days frozen on it at acceptance: use
    ``notice_effective_date(received_on, requested_on, row.notice_days)`` for it.
    """
    return notice_effective_date(received_on, requested_on, notice_of(service_code, option=option).days)


def settlement_waived(reason: str, *, service_code: str, option: bool = False) -> bool:
    """Whether a contract (or an option) of ``service_code`` ending for ``reason`` owes no early-termination
    settlement: abolition never does (SPEC §1); general terms art. 28 ¶2/¶3 only where the terms say so."""
    if reason == TerminationReason.ABOLITION:
        return True
    return reason in ART28 and (not option or service_code in ART28_WAIVES_OPTIONS)
