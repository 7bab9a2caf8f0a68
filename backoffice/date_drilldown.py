"""The admin's date drill-down (``date_hierarchy``), kept within the dates the product accepts.

Django computes the end of the chosen year, month or day by adding to it, which overflows the
calendar in 9999 (a server error for ``?applied_on__year=9999``); a year outside
``FIRST_DAY``–``LAST_DAY`` holds no row anyway, so it is refused as a bad filter instead.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from .dates import FIRST_DAY, LAST_DAY


class BoundedDateChangeList(ChangeList):
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
