"""The billing calculations (SPEC §1, §6; qualified invoices): the SPEC cases, their edges, invariants."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.months import Month
from billing.calc import (
    PaymentTerms,
    corporate_number_check_digit,
    due_date,
    is_business_day,
    is_registration_number,
    tax_by_rate,
    tax_rate_on,
)
from billing.pricing import early_termination_fee, monthly_charge, prorate, remainder_months
from contracts.terms import minimum_period_end

D = date.fromisoformat
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2098, 12, 31))
fees = st.integers(min_value=0, max_value=10**9)


@pytest.mark.parametrize(
    ("fee", "first", "last", "amount"),
    [
        (31000, "2025-01-01", "2025-01-31", 31000),  # a full 31-day month
        (31000, "2025-01-01", "2025-01-10", 10000),  # first days
        (31000, "2025-03-17", "2025-03-31", 15000),  # last days of a 31-day month
        (10000, "2025-04-30", "2025-04-30", 333),  # one day of 30, rounded down
        (28000, "2025-02-01", "2025-02-14", 14000),  # February
        (28000, "2025-02-01", "2025-02-28", 28000),
        (29000, "2024-02-01", "2024-02-14", 14000),  # leap February: 29 days
        (29000, "2028-02-15", "2028-02-29", 15000),
        (29000, "2024-02-01", "2024-02-29", 29000),
        (0, "2025-05-01", "2025-05-20", 0),
    ],
)
def test_prorate(fee, first, last, amount):
    assert prorate(fee, D(first), D(last)) == amount


@pytest.mark.parametrize(
    ("first", "last"),
    [("2025-01-31", "2025-02-01"), ("2025-02-10", "2025-02-09"), ("2024-12-31", "2025-01-01")],
)
def test_prorate_refuses_ranges_crossing_months_or_reversed(first, last):
    with pytest.raises(ValueError, match="range"):
        prorate(1000, D(first), D(last))


@pytest.mark.parametrize("fee", [-1, 1.5, True, "1000"])
def test_prorate_refuses_a_fee_that_is_not_whole_yen(fee):
    with pytest.raises(ValueError, match="monthly_fee"):
        prorate(fee, D("2025-01-01"), D("2025-01-02"))


@pytest.mark.parametrize(
    ("start", "last_day", "month", "prorated", "amount"),
    [
        ("2025-01-01", None, "2025-02", True, 28000),  # full month
        ("2025-02-15", None, "2025-02", True, 14000),  # first partial month
        ("2025-01-01", "2025-02-14", "2025-02", True, 14000),  # last partial month
        ("2025-02-10", "2025-02-16", "2025-02", True, 7000),  # started and ended in the month
        ("2025-02-15", None, "2025-02", False, 28000),  # no proration: full month for any day (SPEC §6)
        ("2025-01-01", "2025-02-01", "2025-02", False, 28000),
        ("2025-03-01", None, "2025-02", True, 0),  # not started yet
        ("2025-01-01", "2025-01-31", "2025-02", False, 0),  # ended before
        ("2024-02-20", None, "2024-02", True, 9655),  # leap February: 28000 × 10 / 29
    ],
)
def test_monthly_charge(start, last_day, month, prorated, amount):
    charged = monthly_charge(
        28000,
        month=Month.parse(month),
        billing_start=D(start),
        last_day=D(last_day) if last_day else None,
        prorated=prorated,
    )
    assert charged == amount


@pytest.mark.parametrize(
    ("fee", "effective", "period_end", "prorated", "amount"),
    [
        # 1 month from 2025-01-15 ends 2025-02-14 (SPEC §1)
        (10000, "2025-01-31", "2025-02-14", True, 5000),  # 14 of 28 February days
        (10000, "2025-01-20", "2025-02-14", True, 3548 + 5000),  # 11 of 31 January days, then February
        (10000, "2025-02-13", "2025-02-14", True, 357),  # one day left
        (10000, "2025-02-14", "2025-02-14", True, 0),  # ends on the period's last day
        (10000, "2025-03-01", "2025-02-14", True, 0),  # past the period
        # 1 year from 2024-03-01 ends 2025-02-28; leap February 2024 inside
        (29000, "2024-01-31", "2024-02-29", True, 29000),
        (12000, "2024-12-31", "2025-02-28", True, 24000),
        # without proration: the month of the last day is billed already; later months in full
        (10000, "2025-01-20", "2025-02-14", False, 10000),
        (10000, "2025-02-10", "2025-02-14", False, 0),
        (10000, "2025-01-31", "2025-04-14", False, 30000),
        (10000, "2025-12-15", "2026-01-14", False, 10000),  # over the year end
    ],
)
def test_early_termination_fee(fee, effective, period_end, prorated, amount):
    assert early_termination_fee(fee, D(effective), D(period_end), prorated=prorated) == amount


def test_managed_router_restarted_period_is_charged():
    """1 year from 2025-04-01, restarted by an equipment change on 2025-10-01 (Managed Router art. 5 ¶3)."""
    original_end = minimum_period_end(D("2025-04-01"), 12)
    restarted_end = minimum_period_end(D("2025-10-01"), 12)
    assert (original_end, restarted_end) == (D("2026-03-31"), D("2026-09-30"))
    assert early_termination_fee(12000, D("2026-03-31"), original_end) == 0
    assert early_termination_fee(12000, D("2026-03-31"), restarted_end) == 6 * 12000


def test_remainder_months_list_each_month_of_the_rest():
    months = remainder_months(10000, D("2025-01-20"), D("2025-03-14"))
    assert [(m.first_day, m.last_day, m.amount, m.whole) for m in months] == [
        (D("2025-01-21"), D("2025-01-31"), 3548, False),
        (D("2025-02-01"), D("2025-02-28"), 10000, True),
        (D("2025-03-01"), D("2025-03-14"), 4516, False),
    ]


@given(fees, st.integers(min_value=1900, max_value=2098), st.integers(min_value=1, max_value=12))
def test_prorate_of_a_full_month_is_the_fee(fee, year, month):
    last = calendar.monthrange(year, month)[1]
    assert prorate(fee, date(year, month, 1), date(year, month, last)) == fee


@given(fees, days)
def test_prorated_halves_never_exceed_the_fee(fee, day):
    first, last = day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if day == last:
        return
    assert prorate(fee, first, day) + prorate(fee, day + timedelta(days=1), last) <= fee


@given(fees, days, days, st.booleans())
def test_no_settlement_past_the_period_end(fee, period_end, effective, prorated):
    if effective >= period_end:
        assert early_termination_fee(fee, effective, period_end, prorated=prorated) == 0
    else:
        assert early_termination_fee(fee, effective, period_end, prorated=prorated) >= 0


@given(fees, days, st.integers(min_value=1, max_value=24))
def test_settlement_never_exceeds_whole_months_left(fee, effective, months):
    """Prorated, the remainder costs at most one fee per calendar month it touches."""
    period_end = minimum_period_end(effective, months)
    touched = (period_end.year - effective.year) * 12 + period_end.month - effective.month + 1
    assert early_termination_fee(fee, effective, period_end) <= fee * touched


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        ("1989-04-01", "0.03"),
        ("1997-03-31", "0.03"),
        ("1997-04-01", "0.05"),
        ("2014-03-31", "0.05"),
        ("2014-04-01", "0.08"),
        ("2019-09-30", "0.08"),
        ("2019-10-01", "0.10"),
        ("2026-11-30", "0.10"),
    ],
)
def test_tax_rate_on(day, rate):
    assert tax_rate_on(D(day)) == Decimal(rate)


def test_no_tax_rate_before_1989():
    with pytest.raises(ValueError, match="no consumption tax"):
        tax_rate_on(D("1989-03-31"))


def test_tax_is_rounded_down_once_per_rate_not_per_line():
    ten, eight = Decimal("0.10"), Decimal("0.08")
    lines = [(ten, 105), (ten, 105), (ten, 105), (eight, 1010), (eight, 1010)]
    per_line = sum(int(amount * rate) for rate, amount in lines)
    assert tax_by_rate(lines) == {eight: (2020, 161), ten: (315, 31)}
    assert per_line == 10 + 10 + 10 + 80 + 80 != 31 + 161


def test_credits_count_in_their_rate_total():
    ten = Decimal("0.10")
    assert tax_by_rate([(ten, 10000), (ten, -2345)]) == {ten: (7655, 765)}
    assert tax_by_rate([(ten, -2345)]) == {ten: (-2345, -234)}  # toward zero: a credit never grows
    assert tax_by_rate([]) == {}


@pytest.mark.parametrize("line", [(0.1, 100), (Decimal("1.5"), 100), (Decimal("0.1"), 1.5), (Decimal("0.1"), True)])
def test_tax_by_rate_refuses_untyped_lines(line):
    with pytest.raises(ValueError):
        tax_by_rate([line])


@pytest.mark.parametrize(
    ("closing", "due"),
    [
        ("2026-09-30", "2026-11-02"),  # 10-31 is a Saturday: moved forward to Monday
        ("2026-12-31", "2027-02-01"),  # 2027-01-31 is a Sunday
        ("2026-11-30", "2027-01-04"),  # 12-31 bank holiday, 01-01 New Year, 01-02/03 weekend
        ("2027-01-31", "2027-03-01"),  # February's end, a Sunday
        ("2026-01-31", "2026-03-02"),  # 02-28 is a Saturday
        ("2026-06-30", "2026-07-31"),  # a Friday: unchanged
        ("2026-04-30", "2026-06-01"),  # 05-31 is a Sunday
    ],
)
def test_due_date_end_of_following_month_on_a_business_day(closing, due, settings):
    settings.INVOICE_PAYMENT_TERMS = {}
    assert due_date(D(closing)) == D(due)


def test_due_date_moves_past_a_substitute_holiday():
    """2026-05-06 is a substitute holiday (振替休日) after Golden Week."""
    assert due_date(D("2026-04-30"), PaymentTerms(months_after=1, day=3)) == D("2026-05-07")
    assert due_date(D("2027-02-28"), PaymentTerms(months_after=1, day=22)) == D("2027-03-23")  # 振替休日


def test_due_date_day_past_a_short_month_is_its_last_day():
    assert due_date(D("2025-01-31"), PaymentTerms(months_after=1, day=31)) == D("2025-02-28")


@pytest.mark.parametrize(
    ("day", "business"),
    [
        ("2026-11-23", False),  # 勤労感謝の日
        ("2026-09-22", False),  # 国民の休日
        ("2026-12-31", False),  # bank holiday
        ("2027-01-04", True),
        ("2026-11-21", False),  # Saturday
        ("2026-11-24", True),
    ],
)
def test_is_business_day(day, business):
    assert is_business_day(D(day)) is business


@pytest.mark.parametrize("terms", [{"months_after": -1}, {"months_after": 13}, {"day": 0}, {"day": 32}])
def test_payment_terms_refuse_impossible_rules(terms):
    with pytest.raises(ValueError):
        PaymentTerms(**terms)


@pytest.mark.parametrize(
    "number",
    [
        "T7000012050002",  # National Tax Agency
        "T1180301018771",  # a listed company's corporate number
        "T7123456789012",
    ],
)
def test_valid_registration_numbers(number):
    assert is_registration_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "T8000012050002",  # wrong check digit
        "7000012050002",  # no T
        "t7000012050002",
        "T700001205000",  # 12 digits
        "T70000120500021",
        "T７000012050002",  # a full-width digit
        "T700001205000X",
        "",
        None,
    ],
)
def test_invalid_registration_numbers(number):
    assert not is_registration_number(number)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_one_check_digit_is_valid(base):
    valid = [d for d in range(10) if is_registration_number(f"T{d}{base}")]
    assert valid == [corporate_number_check_digit(base)]


def test_invoice_settings_pass_the_system_checks():
    from billing.checks import invoice_settings

    assert invoice_settings() == []


@pytest.mark.parametrize(
    ("name", "value", "error_id"),
    [
        ("INVOICE_ISSUER_NAME", "  ", "billing.E001"),
        ("INVOICE_REGISTRATION_NUMBER", "T8000012050002", "billing.E002"),
        ("INVOICE_REGISTRATION_NUMBER", "", "billing.E002"),
        ("INVOICE_PAYMENT_TERMS", {"months_after": 13}, "billing.E003"),
        ("INVOICE_PAYMENT_TERMS", {"weeks": 2}, "billing.E003"),
    ],
)
def test_wrong_invoice_settings_fail_the_system_checks(settings, name, value, error_id):
    from billing.checks import invoice_settings

    setattr(settings, name, value)
    assert [error.id for error in invoice_settings()] == [error_id]
