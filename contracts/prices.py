"""Which prices are in force on a day: a contract's or option's schedule of prices (pure, no database).

A schedule starts with the terms frozen at acceptance and steps to each dated price
(``models.DatedPrice``) on its first day. Billing charges each day at the price in force that day where
the service prorates, and at the price in force on the last day billed where it does not
(docs/decisions.md, "Prices in force"); the settlement, the SLA credits and the reports read the same
schedule. ``spans`` is the one place a period is cut where a price changes; what its parts cost is
billing's (``billing.pricing``).
"""

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.utils.translation import gettext as _

from backoffice.display import date_text, month_text, yen

#: The price components that hold from a day on, as the rows' own field names. The initial fee arises once,
#: on acceptance, and the minimum period, notice and proration are terms, not prices: they stay on the row.
CONTRACT_PRICES = ("monthly_fee", "change_fee", "line_fee", "bandwidth_fee")
OPTION_PRICES = ("monthly_fee", "change_fee", "cancellation_fee")


@dataclass(frozen=True)
class Prices:
    """One set of price components and the item they belong to (a contract's; an option names none)."""

    valid_from: date | None
    monthly_fee: int
    change_fee: int = 0
    line_fee: int = 0
    bandwidth_fee: int = 0
    cancellation_fee: int = 0
    item_id: str | None = None
    item_name: str = ""

    @classmethod
    def of(cls, values: Mapping, *, valid_from: date | None = None) -> "Prices":
        """The prices among ``values`` (a row's or a dated price's fields; missing or empty components are 0)."""
        found = {name: values[name] for name in _COMPONENTS if name in values}
        for name in _AMOUNTS:
            if name in found:
                found[name] = int(found[name] or 0)
        return cls(valid_from=values.get("valid_from", valid_from), **found)


#: The fields ``Prices.of`` reads (read once: a run builds tens of thousands), and those that are amounts.
_COMPONENTS = tuple(f.name for f in fields(Prices) if f.name != "valid_from")
_AMOUNTS = tuple(name for name in _COMPONENTS if name.endswith("_fee"))


def spans[T](steps: Sequence[tuple[date | None, T]], first: date, last: date) -> list[tuple[date, date, T]]:
    """``first``..``last`` cut where the step function ``steps`` changes: ``(first, last, value)`` per part.

    ``steps`` are ``(from, value)`` in order of their day, the first from ``None`` (the start).
    """
    if last < first:
        return []
    starts = [day or date.min for day, _value in steps]
    index = max(bisect.bisect_right(starts, first) - 1, 0)
    parts = []
    day = first
    while day <= last:
        following = starts[index + 1] if index + 1 < len(starts) else None
        end = min(last, following - timedelta(days=1)) if following else last
        parts.append((day, end, steps[index][1]))
        day, index = end + timedelta(days=1), index + 1
    return parts


@dataclass(frozen=True)
class Schedule:
    """The prices of one contract or option, from the start (``valid_from`` None) through each dated price."""

    prices: tuple[Prices, ...]

    @classmethod
    def of(cls, base: Mapping, dated: Iterable[Mapping] = ()) -> "Schedule":
        """The schedule whose start is ``base`` (the row's frozen terms and item) and whose steps are
        ``dated`` (dated prices' values, each with ``valid_from``), in any order."""
        steps = sorted((Prices.of(values) for values in dated), key=lambda prices: prices.valid_from)
        return cls((Prices.of(base, valid_from=None), *steps))

    @property
    def steps(self) -> list[tuple[date | None, Prices]]:
        return [(prices.valid_from, prices) for prices in self.prices]

    def on(self, day: date) -> Prices:
        """The prices in force on ``day``."""
        return spans(self.steps, day, day)[0][2]

    @property
    def agreed(self) -> tuple[Prices, ...]:
        """Each price as agreed, from its day: the dated ones once any is (the first keeps the terms at
        acceptance with the item of that time), else the frozen terms alone, from acceptance (``valid_from``
        None)."""
        return self.prices[1:] or self.prices

    @property
    def dated(self) -> bool:
        """Whether any price was dated after acceptance (the frozen terms are not the only price)."""
        return len(self.prices) > 1


def first_month_billed(prorated: bool, valid_from: date) -> str:
    """The first month billed at a price from ``valid_from``, and how that month counts it (SPEC §1, §6)."""
    month = month_text(valid_from)
    if not prorated:
        return _("%(month)s, in full (the price in force on the month's last day)") % {"month": month}
    if valid_from.day == 1:
        return _("%(month)s, in full") % {"month": month}
    return _("%(month)s, by day from %(date)s") % {"month": month, "date": date_text(valid_from)}


def price_line(prices: Prices, *, since: date) -> str:
    """One price of a schedule as staff read it: from when, the item, the monthly fee."""
    values = {"date": date_text(prices.valid_from or since), "fee": yen(prices.monthly_fee)}
    if prices.item_name:
        return _("from %(date)s: %(item)s, monthly %(fee)s") % {**values, "item": prices.item_name}
    return _("from %(date)s: monthly %(fee)s") % values
