"""Stored values as staff read them, shared by the history pages, the timeline and the action pages."""

from datetime import date, datetime, timedelta

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def display_value(field, value) -> str:
    """``value`` of a model or form ``field`` as staff read it: choice labels, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, models.Model):
        label = getattr(field, "label_from_instance", None)  # a form's choice field labels its rows its own way
        return label(value) if label else str(value)
    choices = getattr(field, "flatchoices", None) or getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, int) and is_money(field):
        return yen(value)
    return str(value)


class YenFormField(forms.IntegerField):
    """An amount in yen typed in a form: shown back with digit grouping on the confirmation pages."""


def is_money(field) -> bool:
    """Every amount of the project is a big integer of yen (docs/decisions.md), and a form's is a ``YenFormField``."""
    return isinstance(field, (models.BigIntegerField, YenFormField))


def duration_text(value: timedelta) -> str:
    """A length of time in words of the active language: 2日 0時間0分 / 2 days, 0 h 0 min (seconds if any)."""
    total = int(value.total_seconds())
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    parts = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
    if seconds:
        text = _("%(hours)d h %(minutes)d min %(seconds)d s") % parts
    else:
        text = _("%(hours)d h %(minutes)d min") % parts
    return (ngettext("%(days)d day, ", "%(days)d days, ", days) % parts + text) if days else text


def date_text(value, *, seconds: bool = False) -> str:
    """A date (or a date-time, in Tokyo time) as staff write it, in the active language: 2026年11月1日 (a time
    after it: 2026年11月1日10:00), Nov. 1, 2026 in English. Every date a person reads goes through here: screens,
    messages, e-mails, invoice lines. ``seconds``: a date-time to the second (an outage's start and end)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if seconds:
            return f"{date_format(value)} {date_format(value, 'H:i:s')}"
        return date_format(value, "DATETIME_FORMAT")
    return date_format(value)


def month_text(value) -> str:
    """A calendar month (a ``backoffice.months.Month``, or the month of a date) as staff write it: 2026年11月,
    November 2026 in English."""
    if value is None:
        return "—"
    return date_format(date(value.year, value.month, 1), "YEAR_MONTH_FORMAT")


def yen(amount: int) -> str:
    """An integer amount of yen with digit grouping: ``30,000円`` in Japanese, ``30,000 yen`` in English."""
    return _("%(amount)s yen") % {"amount": number_format(amount, force_grouping=True)}


def record_changes(record, previous, *, foreign_keys_are_objs=False) -> list[tuple[str, str, str]]:
    """``(field label, old, new)`` for what history ``record`` changed against ``previous`` (same object).

    ``diff_against`` compares the editable fields only, so the computed ones (an effective end, a
    minimum-period end) are compared here too.
    """
    model = record.instance_type
    delta = record.diff_against(previous, foreign_keys_are_objs=foreign_keys_are_objs)
    changes = [(change.field, change.old, change.new) for change in delta.changes]
    for field in record.tracked_fields:
        if field.editable or field.primary_key:
            continue
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old != new:
            changes.append((field.name, old, new))
    rows = []
    for name, old, new in changes:
        field = model._meta.get_field(name)
        rows.append((capfirst(field.verbose_name), display_value(field, old), display_value(field, new)))
    return rows


__all__ = [
    "YenFormField",
    "date_text",
    "duration_text",
    "display_value",
    "is_money",
    "month_text",
    "record_changes",
    "yen",
]
