"""Months as staff type them: parsed strictly, shifted by calendar months, twelve of them for a trend."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from backoffice.display import month_text
from backoffice.months import Month
from billing.models import BillingMonth


@pytest.mark.parametrize(("text", "month"), [("2025-03", Month(2025, 3)), (" 2025-3 ", Month(2025, 3))])
def test_a_month_is_parsed(text, month):
    assert Month.parse(text) == month


@pytest.mark.parametrize("text", ["2025-00", "2025-13", "2025/03", "202503", "1899-12", "2100-01", "0000-01", ""])
def test_anything_else_is_refused(text):
    with pytest.raises(ValidationError):
        Month.parse(text)


def test_month_ends_follow_the_calendar():
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    assert Month(2025, 2).last_day == date(2025, 2, 28)
    assert Month(2025, 1).shifted(-1) == Month(2024, 12)
    assert str(Month(2025, 1)) == "2025-01"


def test_the_last_twelve_months_end_with_the_month():
    months = Month(2025, 3).last_twelve()
    assert months[0] == Month(2024, 4) and months[-1] == Month(2025, 3) and len(months) == 12


def test_the_last_twelve_months_stop_at_the_first_accepted_month():
    assert Month(1900, 2).last_twelve() == [Month(1900, 1), Month(1900, 2)]


def test_a_month_is_written_as_staff_write_it():
    """Month labels read 2026年1月 (not 2026-01, nor 2026年01月), whether of a month, a date or a billing month."""
    with translation.override("ja"):
        assert month_text(Month(2026, 1)) == "2026年1月"
        assert month_text(date(2026, 11, 30)) == "2026年11月"
        assert str(BillingMonth(month=date(2026, 11, 1))) == "2026年11月"
    with translation.override("en"):
        assert month_text(Month(2026, 1)) == "January 2026"
