"""Export of an admin list as the user sees it: the filtered, searched, sorted rows, every one of them.

Each changelist of a ``HistoryAdmin`` links to ``<list>/export/csv/`` and ``<list>/export/xlsx/`` with
its own query string; the export builds the admin's own ``ChangeList`` from that query (so filters,
search, date drill-down and ordering are the list's, and a bad filter is refused as the list refuses it),
takes its queryset without paging, and writes the columns the list shows plus the key dates and
amounts the admin declares in ``export_extra``. Cells are values, not HTML: dates stay dates, yen
stay integers, choices read as their labels. Viewing the model is required; nothing else is.
"""

import html
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .exports import DATE, DATETIME, NUMBER, TEXT, YEN, Column, csv_response, xlsx_response

FORMATS = ("csv", "xlsx")
#: Rows fetched from the database at a time while streaming.
CHUNK = 2000


@dataclass(frozen=True)
class ExportColumn:
    source: object  # a ``list_display`` entry: a field name, ``__str__``, a callable or an admin method's name
    label: str
    kind: str


def kind_of(field) -> str:
    """The cell type of a model field. Money is integer yen, the only big integer of the project."""
    if field is None or field.is_relation or getattr(field, "flatchoices", None):
        return TEXT
    if isinstance(field, models.DateTimeField):
        return DATETIME
    if isinstance(field, models.DateField):
        return DATE
    if isinstance(field, models.BigIntegerField):
        return YEN
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return NUMBER
    return TEXT


def export_columns(model_admin, list_display) -> list[ExportColumn]:
    """The list's columns (the selection checkbox left out) followed by the admin's ``export_extra``."""
    names = [name for name in list_display if name != "action_checkbox"]
    names += [name for name in model_admin.export_extra if name not in names]
    columns = []
    for name in names:
        try:
            field = model_admin.opts.get_field(name) if isinstance(name, str) else None
        except FieldDoesNotExist:
            field = None
        label = capfirst(str(label_for_field(name, model_admin.model, model_admin)))
        columns.append(ExportColumn(name, label, kind_of(field)))
    return columns


def cell(field, value):
    """A value as a spreadsheet stores it: dates as (local) dates, numbers as numbers, the rest as text."""
    if value is None or value == "":
        return None
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float):
        return value
    if isinstance(value, SafeString):  # an admin column's link or markup: its text
        return html.unescape(strip_tags(value))
    return str(value)


def rows_of(model_admin, queryset, names: list, language: str):
    """The rows, read a chunk at a time, in the language of the request (a streamed body outlives it)."""
    with translation.override(language):
        for obj in queryset.iterator(chunk_size=CHUNK):
            row = []
            for name in names:
                field, _attr, value = lookup_field(name, obj, model_admin)
                row.append(cell(field, value))
            yield row


def export_response(model_admin, changelist, fmt: str):
    """The download of ``changelist``'s whole queryset as CSV (streamed) or Excel (constant memory)."""
    columns = export_columns(model_admin, changelist.list_display)
    names = [column.source for column in columns]
    headers = [Column(column.label, column.kind) for column in columns]
    rows = rows_of(model_admin, changelist.queryset, names, translation.get_language())
    stem = f"{model_admin.opts.model_name}_{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(f"{stem}.csv", headers, rows)
    return xlsx_response(f"{stem}.xlsx", headers, rows, sheet=str(model_admin.opts.verbose_name_plural))


__all__ = ["CHUNK", "FORMATS", "cell", "export_columns", "export_response", "kind_of"]
