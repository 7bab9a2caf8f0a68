"""sla.credits: every tier boundary and the step past it, the notification rule, the cap, the claim deadline."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla import credits

FEE = 90_000  # divisible by 90, 30, 10, 5, 3 and 2: every tier gives a whole amount
SECOND = timedelta(seconds=1)
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("duration", "credit"),
    [
        (timedelta(0), 0),
        (timedelta(minutes=30), 0),
        (timedelta(minutes=30) + SECOND, 1_000),
        (timedelta(minutes=60), 1_000),
        (timedelta(minutes=60) + SECOND, 3_000),
        (timedelta(hours=12), 3_000),
        (timedelta(hours=12) + SECOND, 9_000),
        (timedelta(hours=24), 9_000),
        (timedelta(hours=24) + SECOND, 18_000),
        (timedelta(days=3), 18_000),
        (timedelta(days=3) + SECOND, 30_000),
        (timedelta(days=7), 30_000),
        (timedelta(days=7) + SECOND, 45_000),
        (timedelta(days=14), 45_000),
        (timedelta(days=14) + SECOND, 90_000),
        (timedelta(days=40), 90_000),
    ],
)
def test_availability_tiers_at_each_boundary_and_one_second_past_it(duration, credit):
    assert credits.availability_credit(FEE, duration) == credit


def test_amounts_round_down_to_the_yen():
    assert credits.availability_credit(10_000, timedelta(minutes=45)) == 111  # 10,000 / 90 = 111.1
    assert credits.availability_credit(10_000, timedelta(days=4)) == 3_333
    assert credits.notification_credit(10_000, datetime(2025, 1, 1, tzinfo=UTC), None) == 333
    assert credits.availability_credit(0, timedelta(days=20)) == 0


DETECTED = datetime(2025, 3, 1, 10, 0, 0, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("notified_at", "credit"),
    [
        (DETECTED, 0),
        (DETECTED + timedelta(minutes=30), 0),
        (DETECTED + timedelta(minutes=30, seconds=1), 3_000),
        (DETECTED + timedelta(days=2), 3_000),
        (None, 3_000),
    ],
)
def test_notification_later_than_30_minutes_or_never_earns_one_thirtieth(notified_at, credit):
    assert credits.notification_credit(FEE, DETECTED, notified_at) == credit


def test_notification_compares_moments_across_time_zones():
    assert credits.notification_credit(FEE, DETECTED, datetime(2025, 3, 1, 1, 30, tzinfo=UTC)) == 0
    assert credits.notification_credit(FEE, DETECTED, datetime(2025, 3, 1, 1, 30, 1, tzinfo=UTC)) == 3_000


@pytest.mark.parametrize(
    ("credits_of_month", "total"),
    [
        ([], 0),
        ([1_000, 3_000], 4_000),
        ([45_000, 45_000], 90_000),
        ([45_000, 45_000, 3_000], 90_000),
        ([90_000, 1], 90_000),
    ],
)
def test_capped_total_never_exceeds_the_monthly_fee(credits_of_month, total):
    assert credits.capped_total(FEE, credits_of_month) == total


@pytest.mark.parametrize(
    ("claimable_on", "deadline"),
    [
        (date(2025, 1, 10), date(2025, 4, 10)),
        (date(2025, 2, 28), date(2025, 5, 31)),
        (date(2023, 11, 30), date(2024, 2, 29)),  # leap year: February's last day
        (date(2024, 11, 30), date(2025, 2, 28)),
        (date(2025, 12, 31), date(2026, 3, 31)),
        (date(2025, 11, 29), date(2026, 2, 28)),
        (date(2024, 2, 29), date(2024, 5, 31)),  # the window starts on March 1st
        (date(2025, 1, 31), date(2025, 4, 30)),
    ],
)
def test_claim_deadline_counts_three_months_from_the_next_day(claimable_on, deadline):
    assert credits.claim_deadline(claimable_on) == deadline


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: credits.availability_credit(-1, timedelta(hours=1)), "monthly_fee"),
        (lambda: credits.availability_credit(1.5, timedelta(hours=1)), "monthly_fee"),
        (lambda: credits.availability_credit(True, timedelta(hours=1)), "monthly_fee"),
        (lambda: credits.availability_credit(FEE, timedelta(seconds=-1)), "duration"),
        (lambda: credits.availability_credit(FEE, 3600), "duration"),
        (lambda: credits.notification_credit(FEE, datetime(2025, 3, 1), None), "detected_at"),
        (lambda: credits.notification_credit(FEE, DETECTED, DETECTED - SECOND), "notified_at"),
        (lambda: credits.capped_total(FEE, [-1]), "credits"),
        (lambda: credits.claim_deadline(datetime(2025, 1, 1)), "event_on"),
    ],
)
def test_unusable_arguments_raise_value_error_naming_them(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
