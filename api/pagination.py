"""Cursor pagination by default: a page costs the same at row 10 and at row 100,000 (no OFFSET, no COUNT),
and a row written meanwhile neither repeats nor hides one."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500

    def get_page_size(self, request):
        """``limit`` as the schema states it, from 1 to 500; anything else is refused, not read as the default."""
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= self.max_page_size):
            raise ValidationError(
                {self.page_size_query_param: _("A whole number from 1 to %(most)d.") % {"most": self.max_page_size}}
            )
        return int(text)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
