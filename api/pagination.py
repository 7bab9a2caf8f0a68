"""Cursor pagination by default: a page costs the same at row 10 and at row 100,000 (no OFFSET, no COUNT),
and a row written meanwhile neither repeats nor hides one."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500
