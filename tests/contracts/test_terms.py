"""The date and amount calculations of the terms (SPEC §1), as a table of cases and as invariants."""

import calendar
from datetime import date, datetime, timedelta

import pytest

from billing.pricing import prorate_days as prorate
from contracts.catalog_data import CONTRACT_NOTICE, OPTION_NOTICE
from contracts.choices import ServiceCode
from contracts.terms import (
    cancellation_effective_date,
    minimum_period_end,
    notice_effective_date,
    window_end,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        # SPEC §1 examples
        ("2025-01-15", 1, "2025-02-14"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-01-01", 1, "2025-01-31"),
        ("2024-02-29", 12, "2025-02-28"),
        # month ends: no corresponding day → last day of that month (Civil Code art. 143 ¶2)
        ("2025-01-30", 1, "2025-02-28"),
        ("2025-01-29", 1, "2025-02-28"),
        ("2024-01-29", 1, "2024-02-28"),
        ("2024-01-30", 1, "2024-02-29"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-02-28", 1, "2025-03-27"),
        ("2024-02-29", 1, "2024-03-28"),
        ("2025-04-30", 1, "2025-05-29"),
        ("2025-08-31", 3, "2025-11-30"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2023-11-30", 3, "2024-02-29"),
        # year ends
        ("2025-12-01", 1, "2025-12-31"),
        ("2025-12-15", 1, "2026-01-14"),
        ("2025-12-31", 1, "2026-01-30"),
        ("2025-11-15", 3, "2026-02-14"),
        ("2025-01-01", 12, "2025-12-31"),
        ("2025-12-31", 12, "2026-12-30"),
        # leap years and multi-year periods
        ("2024-02-29", 24, "2026-02-28"),
        ("2024-02-29", 48, "2028-02-28"),
        ("2023-02-28", 12, "2024-02-27"),
        ("2023-03-01", 12, "2024-02-29"),
        ("2025-01-15", 12, "2026-01-14"),
        ("2025-01-15", 24, "2027-01-14"),
        ("2025-01-15", 36, "2028-01-14"),
        ("2025-03-31", 36, "2028-03-30"),
        ("2025-01-31", 13, "2026-02-28"),
        ("2027-01-31", 13, "2028-02-29"),
    ],
)
def test_minimum_period_end(start, months, end):
    assert minimum_period_end(D(start), months) == D(end)


@pytest.mark.parametrize(
    ("event", "months", "last_day"),
    [
        ("2025-01-10", 3, "2025-04-10"),  # SPEC §1
        ("2025-02-28", 3, "2025-05-31"),  # SPEC §1
        ("2024-02-28", 3, "2024-05-28"),
        ("2024-02-29", 3, "2024-05-31"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-12-31", 3, "2026-03-31"),
        ("2025-12-30", 2, "2026-02-28"),
        ("2025-01-10", 12, "2026-01-10"),
    ],
)
def test_window_end_does_not_count_the_event_day(event, months, last_day):
    assert window_end(D(event), months) == D(last_day)


@pytest.mark.parametrize(
    ("received", "requested", "days", "effective"),
    [
        ("2025-03-01", None, 30, "2025-03-31"),  # SPEC §1
        ("2025-03-01", "2025-03-15", 30, "2025-03-31"),  # requested earlier → notice period wins
        ("2025-03-01", "2025-03-31", 30, "2025-03-31"),  # requested equal
        ("2025-03-01", "2025-04-30", 30, "2025-04-30"),  # requested later → requested date
        ("2025-12-15", None, 30, "2026-01-14"),
        ("2024-02-01", None, 30, "2024-03-02"),
        ("2025-02-01", None, 30, "2025-03-03"),
        ("2025-03-01", None, 45, "2025-04-15"),
        ("2025-03-01", "2025-01-01", 0, "2025-03-01"),
    ],
)
def test_notice_effective_date(received, requested, days, effective):
    assert notice_effective_date(D(received), requested and D(requested), days) == D(effective)


@pytest.mark.parametrize(
    ("service", "requested", "effective"),
    [
        (ServiceCode.CXM2, None, "2025-03-31"),
        (ServiceCode.CLOUD_PROXY, None, "2025-03-31"),
        (ServiceCode.SMART_HUB, None, "2025-03-31"),
        (ServiceCode.MANAGED_ROUTER, None, "2025-04-15"),  # 45 days (Managed Router art. 10)
        (ServiceCode.ISP_PLATFORM, None, "2025-03-31"),
        ("managed_router", "2025-04-01", "2025-04-15"),
        ("managed_router", "2025-04-15", "2025-04-15"),
        ("managed_router", "2025-05-01", "2025-05-01"),
        ("cxm2", "2025-03-30", "2025-03-31"),
        ("cxm2", "2025-04-30", "2025-04-30"),
    ],
)
def test_cancellation_effective_date_per_service(service, requested, effective):
    got = cancellation_effective_date(service, D("2025-03-01"), requested and D(requested))
    assert got == D(effective)


def test_every_service_has_its_notice_days_and_article(english):
    assert {code: (n.days, str(n.article)) for code, n in CONTRACT_NOTICE.items()} == {
        "cxm2": (30, "CXM2 art. 10"),
        "cloud_proxy": (30, "Cloud Proxy art. 12"),
        "smart_hub": (30, "Smart HUB art. 6"),
        "managed_router": (45, "Managed Router art. 10"),
        "isp_platform": (30, "ISP Platform art. 9"),
    }
    assert {code: n.days for code, n in OPTION_NOTICE.items()} == dict.fromkeys(ServiceCode.values, 30)
    assert set(CONTRACT_NOTICE) == set(OPTION_NOTICE) == set(ServiceCode.values)


@pytest.mark.parametrize("service", ServiceCode.values)
def test_option_stops_use_the_option_notice_days(service):
    assert cancellation_effective_date(service, D("2025-03-01"), option=True) == D("2025-03-31")


@pytest.mark.parametrize(
    ("fee", "used", "days", "amount"),
    [
        (31000, 31, 31, 31000),
        (31000, 0, 31, 0),
        (31000, 10, 31, 10000),
        (10000, 1, 30, 333),  # rounded down
        (10000, 29, 30, 9666),
        (28000, 14, 28, 14000),
        (29000, 1, 29, 1000),
        (0, 15, 30, 0),
    ],
)
def test_prorate_rounds_down_to_the_yen(fee, used, days, amount):
    assert prorate(fee, used, days) == amount


@pytest.mark.parametrize(
    "call",
    [
        lambda: cancellation_effective_date("unknown", D("2025-03-01")),
        lambda: cancellation_effective_date("", D("2025-03-01")),
        lambda: cancellation_effective_date(None, D("2025-03-01")),
        lambda: minimum_period_end(D("2025-01-01"), 0),
        lambda: minimum_period_end(D("2025-01-01"), -1),
        lambda: minimum_period_end(D("2025-01-01"), 1.5),
        lambda: minimum_period_end(D("2025-01-01"), True),
        lambda: minimum_period_end("2025-01-01", 1),
        lambda: minimum_period_end(datetime(2025, 1, 1, 9, 0), 1),
        lambda: minimum_period_end(None, 1),
        lambda: minimum_period_end(date(9999, 12, 1), 1),
        lambda: window_end(D("2025-01-01"), 0),
        lambda: window_end("2025-01-01", 3),
        lambda: window_end(date.max, 3),
        lambda: notice_effective_date(D("2025-03-01"), None, -1),
        lambda: notice_effective_date(D("2025-03-01"), None, "30"),
        lambda: notice_effective_date("2025-03-01", None, 30),
        lambda: notice_effective_date(D("2025-03-01"), "2025-04-01", 30),
        lambda: notice_effective_date(date.max, None, 30),
        lambda: prorate(10000, 31, 30),
        lambda: prorate(10000, -1, 30),
        lambda: prorate(10000, 1, 0),
        lambda: prorate(10000, 1, 27),
        lambda: prorate(10000, 1, 32),
        lambda: prorate(-1, 1, 30),
        lambda: prorate(100.5, 1, 30),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _same_day(day: date, months: int) -> date | None:
    """The day with ``day``'s day-of-month ``months`` months later, or None when that month lacks it."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, day.day) if day.day <= calendar.monthrange(year, month)[1] else None


@pytest.mark.parametrize("months", [1, 3, 12, 24, 36])
def test_minimum_period_invariants_for_every_day_of_2023_to_2025(months):
    for start in _days(date(2023, 1, 1), date(2025, 12, 31)):
        end = minimum_period_end(start, months)
        assert end >= start
        target_index = start.month - 1 + months
        assert (end.year, end.month) in {
            (start.year + target_index // 12, target_index % 12 + 1),
            (start.year + (target_index - 1) // 12, (target_index - 1) % 12 + 1),
        }
        corresponding = _same_day(start, months)
        if corresponding:
            # ends the day before the corresponding day: strictly before the same day next period
            assert end == corresponding - timedelta(days=1)
        else:
            # no corresponding day: the last day of that month
            assert end.day == calendar.monthrange(end.year, end.month)[1]
            assert end.month == target_index % 12 + 1
        # consecutive periods tile the calendar: the next period starts the day after
        assert minimum_period_end(start, months) < minimum_period_end(start, months + 1)
        # later start never ends earlier
        assert minimum_period_end(start + timedelta(days=1), months) >= end


def test_window_and_notice_invariants_for_every_day_of_2023_to_2025():
    for day in _days(date(2023, 1, 1), date(2025, 12, 31)):
        last = window_end(day, 3)
        assert last > day
        assert last == minimum_period_end(day + timedelta(days=1), 3)
        assert last <= day + timedelta(days=92)
        for code in ServiceCode:
            effective = cancellation_effective_date(code, day)
            assert (effective - day).days == CONTRACT_NOTICE[code].days
            assert cancellation_effective_date(code, day, day) == effective
            assert cancellation_effective_date(code, day, effective + timedelta(days=5)) == effective + timedelta(
                days=5
            )


def test_prorate_of_every_day_of_a_month_sums_to_at_most_the_fee():
    for year, month in ((2023, 2), (2024, 2), (2025, 4), (2025, 12)):
        days = calendar.monthrange(year, month)[1]
        assert prorate(99999, days, days) == 99999
        assert sum(prorate(99999, 1, days) for _ in range(days)) <= 99999
        assert [prorate(99999, n, days) for n in range(days + 1)] == sorted(
            prorate(99999, n, days) for n in range(days + 1)
        )
