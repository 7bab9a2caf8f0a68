"""The calendar month in Japan an outage starts in: the cap counts credits per contract and per such month."""

from datetime import datetime

from django.utils import timezone

from ..models.moments import local_day


def month_of(moment: datetime) -> tuple[datetime, datetime]:
    """The first moment of the Japanese calendar month of ``moment`` and the first of the next."""
    day = local_day(moment)
    first = timezone.make_aware(datetime(day.year, day.month, 1))
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return first, timezone.make_aware(datetime(year, month, 1))
