# TEMPORARY local stand-in for billcalc's module; never committed.
from dataclasses import dataclass, field

from contracts.choices import SETTLEMENT_WAIVED

from .calc import prorate


@dataclass(frozen=True)
class Settlement:
    amount: int
    lines: tuple = field(default_factory=tuple)


def settlement_for(row, effective_on):
    end = row.min_period_end_on
    if row.termination_reason in SETTLEMENT_WAIVED or end is None or effective_on >= end:
        return Settlement(0)
    return Settlement(row.monthly_fee, ("stub",))
