"""The admin's date drill-down (``date_hierarchy``), kept within the dates the product accepts, and cheap
on a list of any size.

Django computes the end of the chosen year, month or day by adding to it, which overflows the
calendar in 9999 (a server error for ``?applied_on__year=9999``); a year outside
``FIRST_DAY``–``LAST_DAY`` holds no row anyway, so it is refused as a bad filter instead.

Django's drill-down also reads every row of the filtered list (``SELECT DISTINCT`` of its dates) to
offer only the years, months or days that hold one: at 100,000 rows that costs more than the page.
A list too large to count exactly (``backoffice.paging``) offers the calendar instead: every year,
month or day between the table's first and last date, read from the index in two lookups.
"""

from calendar import monthrange
from datetime import date, datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_list import date_hierarchy

from .dates import FIRST_DAY, LAST_DAY
from .list_rows import RowLinks


class BoundedDateChangeList(RowLinks):
    def get_filters(self, request):
        if self.date_hierarchy:
            years = self.get_filters_params().get(f"{self.date_hierarchy}__year")
            if years and not (years[-1].isdigit() and FIRST_DAY.year <= int(years[-1]) <= LAST_DAY.year):
                raise IncorrectLookupParameters(f"{self.date_hierarchy}__year")
        return super().get_filters(request)


class WholeListChangeList(BoundedDateChangeList):
    """The list's filtered, searched, sorted queryset for an export, which reads every row itself:
    no page is fetched and nothing is counted."""

    def get_results(self, request):
        self.result_count = self.full_result_count = None
        self.result_list = self.queryset.none()
        self.can_show_all, self.multi_page = True, False


def drilldown(cl) -> dict:
    """The context of the drill-down of ``cl``: Django's own, or the calendar's on a list counted by estimate."""
    if not getattr(getattr(cl, "paginator", None), "estimated", False):
        return date_hierarchy(cl)
    return date_hierarchy(_CalendarList(cl))


class _CalendarList:
    """``cl`` as Django's drill-down reads it, its queryset standing in for the calendar (``CalendarDates``)."""

    def __init__(self, cl):
        self._cl = cl
        self.queryset = CalendarDates(cl)

    def __getattr__(self, name):
        return getattr(self._cl, name)


class CalendarDates:
    """The dates a huge list's drill-down offers: its range is the whole table's (the first and the last
    date, each one index lookup), its choices every calendar year, month or day of that range within the
    year and month chosen."""

    def __init__(self, cl):
        field = cl.date_hierarchy
        dated = cl.root_queryset.filter(**{f"{field}__isnull": False}).values_list(field, flat=True)
        self.first = dated.order_by(field).first()
        self.last = dated.order_by(f"-{field}").first()
        self.year = _number(cl.params.get(f"{field}__year"))
        self.month = _number(cl.params.get(f"{field}__month"))

    def aggregate(self, **_aggregates) -> dict:
        return {"first": self.first, "last": self.last}

    def dates(self, field_name: str, kind: str) -> list[date]:
        if self.first is None:
            return []
        first, last = _day(self.first), _day(self.last)
        if kind == "year":
            days = [date(year, 1, 1) for year in range(first.year, last.year + 1)]
        elif kind == "month" and self.year:
            days = [date(self.year, month, 1) for month in range(1, 13)]
        elif kind == "day" and self.year and self.month:
            days = [date(self.year, self.month, day) for day in range(1, monthrange(self.year, self.month)[1] + 1)]
        else:
            return []
        start = {"year": date(first.year, 1, 1), "month": first.replace(day=1)}.get(kind, first)
        return [day for day in days if start <= day <= last]

    def datetimes(self, field_name: str, kind: str) -> list[datetime]:
        return [datetime.combine(day, datetime.min.time()) for day in self.dates(field_name, kind)]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
