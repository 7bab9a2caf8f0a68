"""The report's providers, one module per app it reads, in the order of their sections."""

from backoffice.months import Month

from ..report import Report, build
from . import billing, contracts, equipment, receivables, sla

PROVIDERS = [contracts.provide, billing.provide, receivables.provide, equipment.provide, sla.provide]


def monthly_report(month: Month) -> Report:
    return build(month, PROVIDERS)


__all__ = ["PROVIDERS", "monthly_report"]
