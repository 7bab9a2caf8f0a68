# TEMPORARY local stand-in for billcalc's module; never committed.
import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from contracts import terms


def prorate(monthly_fee, first_day, last_day):
    days = calendar.monthrange(first_day.year, first_day.month)[1]
    return terms.prorate(monthly_fee, (last_day - first_day).days + 1, days)


def early_termination_fee(monthly_fee, effective_on, minimum_period_end, *, prorated=True):
    return 0


def tax_rate_on(day):
    return Decimal("0.10")


def tax_by_rate(lines):
    totals = {}
    for rate, amount in lines:
        totals[rate] = totals.get(rate, 0) + amount
    return {rate: (total, int(total * rate)) for rate, total in totals.items()}


def due_date(issued_on):
    nxt = date(issued_on.year + issued_on.month // 12, issued_on.month % 12 + 1, 1)
    day = date(nxt.year, nxt.month, calendar.monthrange(nxt.year, nxt.month)[1])
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
