"""The dates the product accepts, and the ways staff may type them (docs/decisions.md, "Dates").

Every date field of the models is a ``DateField`` of this module: a date outside
``FIRST_DAY``–``LAST_DAY`` is refused on its field by the forms, ``full_clean`` and the import,
so the terms' date arithmetic (minimum periods, notice periods) never reaches the calendar's end,
and legacy "no end date" markers such as 9999-12-31 are refused instead of stored. A date may be
typed as ISO (2025-01-15) or in the usual Japanese form (2025/01/15), in full-width digits too.
"""

import unicodedata
from datetime import date, datetime

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
INPUT_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")


def parse_date(text) -> date | None:
    """The date ``text`` spells in one of ``INPUT_FORMATS`` (after NFKC: full-width digits, ／ and －), or None."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    for pattern in INPUT_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


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


class DateField(models.DateField):
    """A model date within the accepted range; its form field reads the Japanese ways of typing it."""

    default_validators = [validate_in_range]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DateFormField, **kwargs})
