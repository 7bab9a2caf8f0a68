"""The quality-guarantee credits of the terms (SPEC §8; CXM2 art. 8, 13 and annex 1; Smart HUB art. 5, 9 and
annex 1): pure calculations, no database (docs/sla-credits.md).

Amounts are whole yen, rounded down. Every function raises ``ValueError`` for an argument it cannot use,
as ``contracts.terms`` does, naming the argument.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from contracts.api import terms

#: Availability tiers (annex 1, 1(2)): up to and including each duration, the fee is divided by the divisor.
#: Longer than the last bound: the whole monthly fee.
AVAILABILITY_TIERS = (
    (timedelta(minutes=30), None),
    (timedelta(minutes=60), 90),
    (timedelta(hours=12), 30),
    (timedelta(hours=24), 10),
    (timedelta(days=3), 5),
    (timedelta(days=7), 3),
    (timedelta(days=14), 2),
)
WHOLE_FEE = 1
#: The notification guarantee (annex 1, 2): within 30 minutes of detection, else 1/30 of the monthly fee.
NOTIFICATION_LIMIT = timedelta(minutes=30)
NOTIFICATION_DIVISOR = 30
#: A claim is made within 3 months of the day it became possible (CXM2 art. 13, Smart HUB art. 9).
CLAIM_MONTHS = 3


def _fee(monthly_fee) -> int:
    if isinstance(monthly_fee, bool) or not isinstance(monthly_fee, int) or monthly_fee < 0:
        raise ValueError(f"monthly_fee must be a whole number of yen ≥ 0, not {monthly_fee!r}")
    return monthly_fee


def _aware(name: str, value) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {value!r}")
    return value


def availability_divisor(duration: timedelta) -> int | None:
    """The divisor of the monthly fee for one outage of ``duration``; None when it earns nothing."""
    if not isinstance(duration, timedelta) or duration < timedelta(0):
        raise ValueError(f"duration must be a timedelta ≥ 0, not {duration!r}")
    for bound, divisor in AVAILABILITY_TIERS:
        if duration <= bound:
            return divisor
    return WHOLE_FEE


def availability_credit(monthly_fee: int, duration: timedelta) -> int:
    """The credit for one outage (利用不能時間) of ``duration`` on the base monthly fee, rounded down."""
    fee = _fee(monthly_fee)
    divisor = availability_divisor(duration)
    return 0 if divisor is None else fee // divisor


def notification_late(detected_at: datetime, notified_at: datetime | None) -> bool:
    """Whether the failure contact was told later than 30 minutes after detection, or never."""
    detected_at = _aware("detected_at", detected_at)
    if notified_at is None:
        return True
    notified_at = _aware("notified_at", notified_at)
    if notified_at < detected_at:
        raise ValueError("notified_at must not come before detected_at")
    return notified_at - detected_at > NOTIFICATION_LIMIT


def notification_credit(monthly_fee: int, detected_at: datetime, notified_at: datetime | None) -> int:
    """1/30 of the monthly fee, rounded down, when the notification came more than 30 minutes after
    detection or never; 0 otherwise."""
    fee = _fee(monthly_fee)
    return fee // NOTIFICATION_DIVISOR if notification_late(detected_at, notified_at) else 0


def capped_total(monthly_fee: int, credits: Iterable[int]) -> int:
    """The sum of ``credits`` (one contract, one calendar month), capped at the monthly fee."""
    fee = _fee(monthly_fee)
    total = 0
    for credit in credits:
        if isinstance(credit, bool) or not isinstance(credit, int) or credit < 0:
            raise ValueError(f"credits must be whole numbers of yen ≥ 0, not {credit!r}")
        total += credit
    return min(total, fee)


def claim_deadline(claimable_on: date) -> date:
    """The last day a claim is accepted: 3 months from ``claimable_on``, the day not counted (SPEC §1)."""
    return terms.window_end(claimable_on, CLAIM_MONTHS)


__all__ = [
    "AVAILABILITY_TIERS",
    "availability_credit",
    "availability_divisor",
    "capped_total",
    "claim_deadline",
    "notification_credit",
    "notification_late",
]
