"""The calendar month in Japan an outage starts in: the cap counts credits per contract and per such month."""

from datetime import datetime, time

from django.utils import timezone

from backoffice.dates import local_day
from backoffice.months import Month


def month_of(moment: datetime) -> tuple[datetime, datetime]:
    """The first moment of the Japanese calendar month of ``moment`` and the first of the next."""
    month = Month.of(local_day(moment))
    return tuple(timezone.make_aware(datetime.combine(m.first_day, time())) for m in (month, month.shifted(1)))
