"""Moments of the quality guarantee are recorded to the second (SPEC §8)."""

from datetime import datetime


def to_the_second(value: datetime | None) -> datetime | None:
    """Outages and notifications are recorded to the second (SPEC §8): fractions are dropped."""
    return value.replace(microsecond=0) if value is not None else None
