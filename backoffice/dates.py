"""The dates the product accepts, and the ways staff may type them (docs/decisions.md, "Dates").

Every date field of the models is a ``DateField`` of this module: a date outside
``FIRST_DAY``–``LAST_DAY`` is refused on its field by the forms, ``full_clean`` and the import,
so the terms' date arithmetic (minimum periods, notice periods) never reaches the calendar's end,
and legacy "no end date" markers such as 9999-12-31 are refused instead of stored. A date may be
typed in every form the screens print it or staff write it: ISO (2025-01-15), the usual Japanese form
(2025/01/15, 2025/1/5) and the written one (2025年1月15日), in full-width digits too; a moment (an outage's
start) adds a time (10:00, 10:00:00, 10時00分) after a space, a "T" or nothing.
"""

import re
import unicodedata
from datetime import date, datetime, time

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
INPUT_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
_DATE = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_TIME = r"(?P<H>\d{1,2})\s*[:時]\s*(?:(?P<M>\d{1,2})\s*分?)?\s*(?:[:]?\s*(?P<S>\d{1,2})\s*秒)?(?::(?P<S2>\d{1,2}))?"
_DATE_RE = re.compile(_DATE)
_TIME_RE = re.compile(_TIME)
_MOMENT_RE = re.compile(_DATE + r"(?:\s*T?\s*" + _TIME + ")?")


def typed(text) -> str:
    """NFKC (full-width digits, ／ －) with the dash-like characters an IME may give made ``-``."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    return re.sub(r"[\u2010-\u2015\u2212\u30fc\uff70]", "-", text)


def _date_of(match) -> date | None:
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _time_of(match) -> time | None:
    try:
        return time(int(match["H"]), int(match["M"] or 0), int(match["S"] or match["S2"] or 0))
    except ValueError:
        return None


def parse_date(text) -> date | None:
    """The date ``text`` spells (2025-01-15, 2025/1/5, 2025年1月15日; full-width too), or None."""
    match = _DATE_RE.fullmatch(typed(text))
    return _date_of(match) if match else None


def parse_time(text) -> time | None:
    """The time ``text`` spells (10:00, 10:00:00, 10時, 10時5分, 10時5分30秒), or None."""
    match = _TIME_RE.fullmatch(typed(text))
    return _time_of(match) if match and match["H"] else None


def parse_moment(text) -> datetime | None:
    """A date with an optional time (2026/11/10 10:00, 2026年11月10日10:00, 2026-11-10T10:00:00), naive;
    a date alone is its first second (00:00)."""
    match = _MOMENT_RE.fullmatch(typed(text))
    if not match:
        return None
    day = _date_of(match)
    at = _time_of(match) if match["H"] else time(0)
    return datetime.combine(day, at) if day and at else None


def local_day(value: datetime) -> date:
    """The day of ``value`` in Japan (the settings' time zone); a naive moment is Japan time already."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localdate(value)


def validate_in_range(value: date) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("%(value)s is outside the dates the product accepts (%(first)s to %(last)s)."),
            code="date_out_of_range",
            params={"value": value.isoformat(), "first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


class DateFormField(forms.DateField):
    """A date typed as 2025-01-15 or 2025/01/15 (full-width too), in range, with the admin's calendar."""

    widget = AdminDateWidget
    input_formats = INPUT_FORMATS
    default_validators = [validate_in_range]

    def to_python(self, value):
        """Typed text goes through ``parse_date``, the one parser the import uses too."""
        if isinstance(value, str) and value.strip():
            day = parse_date(value)
            if day is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return day
        return super().to_python(value)


class TimeFormField(forms.TimeField):
    """A time typed as 10:00, 10:00:00 or 10時00分 (full-width too)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            at = parse_time(value)
            if at is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return at
        return super().to_python(value)


class MomentFormField(forms.SplitDateTimeField):
    """The admin's date and time boxes, each reading what staff type; a whole moment typed in the date box
    (``2026/11/10 10:00``) or a date alone (midnight) is taken as it is meant."""

    widget = AdminSplitDateTime

    def __init__(self, **kwargs):
        kwargs.pop("input_date_formats", None), kwargs.pop("input_time_formats", None)
        super().__init__(**kwargs)
        day, at = self.fields
        self.fields = (
            DateFormField(error_messages=day.error_messages, required=False, localize=day.localize),
            TimeFormField(error_messages=at.error_messages, required=False, localize=at.localize),
        )

    def clean(self, value):
        if isinstance(value, (list, tuple)) and value and value[0] and not (len(value) > 1 and value[1]):
            moment = parse_moment(value[0])
            if moment is not None:
                value = [moment.date(), moment.time()]
        return super().clean(value)


class DateField(models.DateField):
    """A model date within the accepted range; its form field reads the Japanese ways of typing it."""

    default_validators = [validate_in_range]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DateFormField, **kwargs})


def validate_moment(value: datetime) -> None:
    """A moment's Japanese calendar day lies in the range every date of the product does."""
    validate_in_range(local_day(value))


class MomentField(models.DateTimeField):
    """A model moment (an aware datetime) within the accepted dates; its form reads it as staff type it
    (``parse_moment``): 2026/12/05 10:00, 2026年12月5日 10時 in the date box, or date and time apart."""

    default_validators = [validate_moment]

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": MomentFormField})
