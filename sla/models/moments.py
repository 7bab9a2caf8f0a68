"""Aware moments (datetimes) of the quality guarantee: Japan time, to the second, within the accepted dates."""

from datetime import datetime

from django.db import models
from django.utils import timezone

from backoffice.dates import MomentFormField, validate_in_range


def validate_moment(value: datetime) -> None:
    """A moment's Japanese calendar day lies in the range every date of the product does (backoffice.dates)."""
    validate_in_range(local_day(value))


def local_day(value: datetime):
    """The day of ``value`` in Japan (the settings' time zone)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localdate(value)


def to_the_second(value: datetime | None) -> datetime | None:
    """Outages and notifications are recorded to the second (SPEC §8): fractions are dropped."""
    return value.replace(microsecond=0) if value is not None else None


class MomentField(models.DateTimeField):
    """A moment within the accepted dates, typed as staff type it (``backoffice.dates.parse_moment``)."""

    default_validators = [validate_moment]

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": MomentFormField})
