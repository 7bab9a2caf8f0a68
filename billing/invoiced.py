"""Telling the charge sources which of their keys a closed month invoiced (``charges_invoiced``).

Each receiver runs on its own (``send_robust``): one that fails neither stops the others nor undoes the
closing, and is logged. Receivers are idempotent, so a month is simply told again until all succeed;
``SourcesTold`` records that they have. The sources never depend on it for money: a key already
invoiced is owed nothing more by the run whatever its app believes.
"""

import logging

from .models import BillingMonth, InvoiceLine, MonthState, SourcesTold
from .signals import charges_invoiced

logger = logging.getLogger(__name__)


def tell_sources(month: BillingMonth) -> bool:
    """Send ``charges_invoiced`` for the closed ``month``: each receiver on its own, so one that fails
    neither stops the others nor undoes the closing. Receivers are idempotent; when all succeeded the
    month records it, else it is told again later (``tell_sources_again``). Returns whether all did."""
    lines = {
        key: (number, issued_on)
        for key, number, issued_on in InvoiceLine.objects.filter(month=month).values_list(
            "source_key", "invoice__number", "invoice__issued_on"
        )
    }
    failures = [
        (receiver, error)
        for receiver, error in charges_invoiced.send_robust(sender=month.period, lines=lines)
        if isinstance(error, Exception)
    ]
    for receiver, error in failures:
        logger.error("charges_invoiced receiver %r failed for %s", receiver, month, exc_info=error)
    if not failures:
        SourcesTold.objects.get_or_create(month=month)
    return not failures


def tell_sources_again() -> None:
    """Tell the sources of every closed month some of them did not hear of yet (outside any transaction)."""
    for month in BillingMonth.objects.filter(state=MonthState.CLOSED, sources_told__isnull=True).order_by("month"):
        tell_sources(month)
