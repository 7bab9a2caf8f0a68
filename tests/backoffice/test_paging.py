"""Admin lists counted cheaply at any size (``backoffice.paging``) and their calendar drill-down
(``backoffice.date_drilldown``)."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection

from backoffice import paging
from backoffice.date_drilldown import CalendarDates
from customers.models import Customer, RelatedContract

pytestmark = pytest.mark.django_db


def _customers(n: int) -> None:
    Customer.objects.bulk_create(Customer(code=f"P{i:06d}", kind="corporate", name=f"株式会社{i}") for i in range(n))


def test_a_list_up_to_the_limit_is_counted_exactly():
    _customers(5)
    paginator = paging.EstimatingPaginator(Customer.objects.all(), 2)
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (5, False, 3)


def test_beyond_the_limit_postgresql_estimates_and_other_databases_count(monkeypatch):
    _customers(30)
    monkeypatch.setattr(paging, "EXACT_UP_TO", 10)
    paginator = paging.EstimatingPaginator(Customer.objects.filter(kind="corporate"), 5)
    count = paginator.count
    if connection.vendor == "postgresql":
        assert paginator.estimated
        assert count >= 11  # never less than what was counted
    else:
        assert (count, paginator.estimated) == (30, False)


def test_the_estimated_count_is_shown_as_approximate(admin_client, monkeypatch):
    _customers(30)
    monkeypatch.setattr(paging, "EXACT_UP_TO", 10)
    page = admin_client.get("/admin/customers/customer/").content.decode()
    approximate = "約 " in page or "about " in page
    assert approximate == (connection.vendor == "postgresql")


def _calendar(**params) -> CalendarDates:
    customer, _created = Customer.objects.get_or_create(code="P1", kind="corporate", name="株式会社カレンダー")
    for reference, started in (("A", date(2023, 11, 5)), ("B", date(2025, 2, 20))):
        RelatedContract.objects.get_or_create(
            customer=customer, kind="pbb", reference=reference, started_on=started, closed_network=f"CN-{reference}"
        )
    changelist = SimpleNamespace(
        date_hierarchy="started_on", root_queryset=RelatedContract.objects.all(), params=params
    )
    return CalendarDates(changelist)


def test_the_calendar_offers_every_year_between_the_first_and_last_date():
    calendar = _calendar()
    assert calendar.aggregate() == {"first": date(2023, 11, 5), "last": date(2025, 2, 20)}
    assert calendar.dates("started_on", "year") == [date(2023, 1, 1), date(2024, 1, 1), date(2025, 1, 1)]


def test_the_calendar_offers_the_months_and_days_within_the_range():
    assert _calendar(started_on__year="2023").dates("started_on", "month") == [date(2023, 11, 1), date(2023, 12, 1)]
    days = _calendar(started_on__year="2025", started_on__month="2").dates("started_on", "day")
    assert days[0] == date(2025, 2, 1) and days[-1] == date(2025, 2, 20) and len(days) == 20
