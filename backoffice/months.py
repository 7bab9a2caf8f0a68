"""A calendar month as staff type it (``YYYY-MM``), within the dates the product accepts: the month a
report covers, the month a billing command runs for."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.dates import FIRST_DAY, LAST_DAY

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """``"2025-03"`` as a month; anything else, or a month outside the accepted dates, is refused."""
        match = MONTH_PATTERN.fullmatch(str(text).strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(_("Enter a month as YYYY-MM, for example 2025-03."), code="invalid")
        if not FIRST_DAY.year <= int(match.group(1)) <= LAST_DAY.year:
            raise ValidationError(
                _("Enter a month between %(first)s and %(last)s.")
                % {"first": f"{FIRST_DAY:%Y-%m}", "last": f"{LAST_DAY:%Y-%m}"},
                code="out_of_range",
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shifted(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def last_twelve(self) -> list["Month"]:
        """The eleven months before this one and this one, oldest first (within the accepted dates)."""
        months = [self.shifted(-n) for n in range(11, -1, -1)]
        return [month for month in months if month.first_day >= FIRST_DAY]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


__all__ = ["Month"]


def last_month() -> Month:
    """The last month that is over: what a month's form offers first."""
    return Month.of(timezone.localdate()).shifted(-1)


class MonthField(forms.CharField):
    """A form field for a month written YYYY-MM; its value is a ``Month`` (``Month.parse`` says what is refused)."""

    def clean(self, value):
        value = super().clean(value)
        return Month.parse(value) if value else None
