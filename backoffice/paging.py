"""Counting an admin list cheaply whatever its size.

Django's paginator counts the filtered list on every page, and at 100,000 rows that count costs more
than the page itself (a search matching most rows reads them all). Here the count stops once it
passes ``EXACT_UP_TO``: a list that small shows its exact count; a larger one on PostgreSQL shows the
planner's estimate of the rows (read from ``EXPLAIN``, no row read), marked as approximate on the page.
Other databases (SQLite for the demo) count the rest exactly.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

#: Rows counted exactly; beyond this a list's size is PostgreSQL's estimate.
EXACT_UP_TO = 10_000


class EstimatingPaginator(Paginator):
    #: Whether ``count`` is an estimate (the list shows "about N").
    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list.order_by().values("pk")  # the rows only: no column, no annotation computed
        counted = queryset[: EXACT_UP_TO + 1].count()
        if counted <= EXACT_UP_TO:
            return counted
        if connections[queryset.db].vendor != "postgresql":
            return queryset.count()
        self.estimated = True
        return max(planned_rows(queryset), counted)


def planned_rows(queryset) -> int:
    """The rows PostgreSQL's planner expects ``queryset`` to return (its statistics, no row read)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


__all__ = ["EXACT_UP_TO", "EstimatingPaginator", "planned_rows"]
