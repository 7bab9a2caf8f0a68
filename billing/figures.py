"""An open invoice's figures as closing would issue them now: what the screens show before it is issued.

Until its month closes an invoice stores no totals (they are fixed by closing); the screens show its
running figures instead, counted from its lines by closing's own ``taxes_of`` (the tax rounded down
once per rate), so the estimate is exactly what closing would store if it ran now.
"""

from dataclasses import dataclass

from .closing import taxes_of


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
