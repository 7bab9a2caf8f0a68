"""An invoice's figures from its lines: what closing stores, and what the screens show before it is issued.

Until its month closes an invoice stores no totals (they are fixed by closing); the screens show its
running figures instead, counted by the same functions closing uses (the tax rounded down once per
rate), so the estimate is exactly what closing would store if it ran now.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.translation import gettext as _

from backoffice.display import yen

from . import calc


def taxes_of(lines) -> dict[int, tuple[int, int]]:
    """``{rate %: (amount before tax, consumption tax)}`` of ``lines``: tax rounded down once per rate."""
    by_rate = calc.tax_by_rate([(Decimal(line.tax_rate) / 100, line.amount) for line in lines])
    return {int(rate * 100): (int(taxable), int(tax)) for rate, (taxable, tax) in by_rate.items()}


@dataclass(frozen=True)
class Figures:
    """Amount before tax, ``{rate %: (amount before tax, tax)}``, and from them the tax and the total."""

    subtotal: int
    taxes: dict[int, tuple[int, int]]

    @property
    def tax(self) -> int:
        return sum(tax for _taxable, tax in self.taxes.values())

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


def running_figures(lines) -> Figures:
    """The figures of an open invoice with ``lines`` (anything with ``amount`` and ``tax_rate``)."""
    lines = list(lines)
    return Figures(subtotal=sum(line.amount for line in lines), taxes=taxes_of(lines))


def provisional_yen(amount: int) -> str:
    """A running amount as every screen shows it: the yen, marked provisional (未確定) until the month closes."""
    return format_html('{} <span class="estimate">({})</span>', yen(amount), _("provisional"))
