"""The selectors the reports read contracts through (contracts.selectors), on the March 2025 data."""

from datetime import date

import pytest

from backoffice.months import Month
from contracts import selectors
from contracts.choices import ServiceCode

pytestmark = pytest.mark.django_db


def numbers(rows) -> set[str]:
    return {row.number for row in rows}


def test_in_force_on_a_day_is_as_the_contracts_stood_that_day(march):
    a, b, c = march["a"], march["b"], march["c"]
    assert numbers(selectors.contracts_in_force(on=date(2025, 3, 31))) == {a.number, b.number}
    assert numbers(selectors.contracts_in_force(on=date(2025, 3, 20))) == {a.number, b.number, c.number}  # last day
    assert numbers(selectors.contracts_in_force(on=date(2025, 3, 4))) == {a.number, c.number}
    assert numbers(selectors.contracts_in_force(on=date(2025, 1, 9))) == set()


def test_accepted_terminated_and_changed_in_the_month(march):
    assert numbers(selectors.contracts_accepted(month=Month(2025, 3))) == {march["b"].number}
    assert numbers(selectors.contracts_terminated(month=Month(2025, 3))) == {march["c"].number}
    assert list(selectors.contract_changes(month=Month(2025, 3))) == [march["change"]]
    assert list(selectors.contract_changes(month=Month(2025, 4))) == []


def test_options_in_force(march):
    assert list(selectors.options_in_force(on=date(2025, 3, 31))) == [march["option"]]
    assert list(selectors.options_in_force(on=date(2025, 1, 31))) == []


def test_counts_by_service_for_many_days_in_one_query(march, django_assert_num_queries):
    days = [date(2025, 1, 31), date(2025, 3, 31), date(2025, 4, 30)]
    with django_assert_num_queries(1):
        counts = selectors.contracts_in_force_by_service(days=days)
    assert counts[(days[0], ServiceCode.CXM2)] == 1
    assert counts[(days[0], ServiceCode.MANAGED_ROUTER)] == 1
    assert counts[(days[1], ServiceCode.CXM2)] == 2
    assert counts[(days[1], ServiceCode.MANAGED_ROUTER)] == 0
    assert counts[(days[2], ServiceCode.MANAGED_ROUTER)] == 1  # E, accepted on 2 April
