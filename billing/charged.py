"""What has been charged for a source key, every adjustment included: one answer for the run and the correction.

A key's lines on closed months (the first, the original, and the run's adjustments of it, which carry the
same key) are what its source's lines charged (``issued``). Staff's corrections (``billing.corrections``)
carry their own key (``adjustment:<line>:<n>``) and name the original (``adjusts``); they count for the
original's key wherever they sit: on a closed month they were issued, and on an open one they are on the
first open month's draft (a correction always lands there), which the run neither removes nor changes and
which is issued with it. So the run (``billing.run.plan``) and a correction (``correct_line``) subtract the
same amount, and a correction and a fix at its source never count twice.
"""

from collections import defaultdict
from collections.abc import Iterable
from itertools import batched
from typing import NamedTuple

from django.db.models import Sum

from .models import InvoiceLine, MonthState

#: A correction line's key starts with this (``billing.corrections``); a run leaves them alone.
CORRECTION_PREFIX = "adjustment:"
#: Keys read per query: the run asks for tens of thousands, in a constant number of queries per batch.
BATCH = 5000


class Charged(NamedTuple):
    """What has been charged for one key."""

    #: Every line of the key on closed months and every correction of them, wherever it sits.
    amount: int
    #: The key's own lines on closed months: what its source's lines charged, corrections aside.
    issued: int
    #: The key's first issued line, the one adjustments name (with its invoice).
    first: InvoiceLine


def charged_for(keys: Iterable[str]) -> dict[str, Charged]:
    """``{key: Charged}`` of the ``keys`` issued on a closed month (a key never issued is absent).
    Two queries per ``BATCH`` keys."""
    issued, first, corrected = defaultdict(int), {}, {}
    for chunk in batched(sorted(set(keys)), BATCH):
        lines = (
            InvoiceLine.objects.filter(source_key__in=chunk, month__state=MonthState.CLOSED)
            .select_related("invoice")
            .order_by("month__month", "pk")
        )
        for line in lines:
            issued[line.source_key] += line.amount
            first.setdefault(line.source_key, line)
        corrections = (
            InvoiceLine.objects.filter(
                source_key__startswith=CORRECTION_PREFIX,
                adjusts__source_key__in=chunk,
                adjusts__month__state=MonthState.CLOSED,
            )
            .order_by()
            .values_list("adjusts__source_key")
            .annotate(total=Sum("amount"))
        )
        corrected.update(corrections)
    return {key: Charged(issued[key] + corrected.get(key, 0), issued[key], first[key]) for key in first}


__all__ = ["CORRECTION_PREFIX", "Charged", "charged_for"]
