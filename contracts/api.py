"""What other apps compute with contracts' terms, without a database: the dates and amounts the terms define
(``terms``, docs/terms-api.md) and the prices in force (docs/contracts-api.md). Contracts are read through
``contracts.selectors``, written through ``contracts.services``, followed through ``contracts.signals``."""

from . import terms
from .prices import CONTRACT_PRICES, OPTION_PRICES, Prices, Schedule, first_month_billed, spans

__all__ = ["CONTRACT_PRICES", "OPTION_PRICES", "Prices", "Schedule", "first_month_billed", "spans", "terms"]
