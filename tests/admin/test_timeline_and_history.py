"""The customer timeline and the history pages."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice import timeline
from backoffice.display import date_text
from backoffice.registry import registry
from backoffice.timeline import Event, customer_timeline
from contracts.choices import Route, ServiceCode
from contracts.services import changes, lifecycle
from tests import factories as f

from .conftest import change_url

pytestmark = pytest.mark.django_db

D = date


def _timeline_url(customer):
    return reverse("admin:customers_customer_timeline", args=[customer.pk])


@pytest.fixture
def story(staff):
    """A customer with a PBB, a CXM2 contract and an option, a change and a notice."""
    customer = f.customer()
    pbb = f.related(customer, "pbb", started_on=D(2024, 12, 1))
    contract = f.activate(f.contract(ServiceCode.CXM2, customer), by=staff)  # applied 01-06, 01-10, 01-15
    napt = f.activate(
        f.option(contract, "cxm2.napt", applied_on=D(2025, 2, 1)),
        accepted_on=D(2025, 2, 3),
        billing_on=D(2025, 2, 10),
        by=staff,
    )
    changes.accept_change(contract, on=D(2025, 3, 1), by=staff, route=Route.OFFICE365)
    lifecycle.register_notice(contract, received_on=D(2025, 4, 1), by=staff)
    return customer, pbb, contract, napt


def test_timeline_lists_the_events_in_date_order(staff_client, story):
    customer, pbb, contract, napt = story
    response = staff_client.get(_timeline_url(customer))
    assert response.status_code == 200
    events = response.context["events"]
    days = [e.on for e in events]
    assert days == sorted(days)

    dated = [(e.on, e.kind, e.subject) for e in events if e.at is None]
    assert dated[:7] == [
        (D(2024, 12, 1), "Related contract formed", f"IIJ Private Backbone Service {pbb.reference}".strip()),
        (D(2025, 1, 6), "Applied", str(contract)),
        (D(2025, 1, 10), "Accepted", str(contract)),
        (D(2025, 1, 15), "Billing started", str(contract)),
        (D(2025, 2, 1), "Applied", str(napt)),
        (D(2025, 2, 3), "Accepted", str(napt)),
        (D(2025, 2, 10), "Billing started", str(napt)),
    ]
    change = next(e for e in events if e.kind == "Change accepted")
    assert change.on == D(2025, 3, 1) and "10,000 yen" in change.text
    assert [e.on for e in events if e.kind == "Cancellation takes effect"] == [D(2025, 5, 1)]

    edits = [e for e in events if e.at is not None]
    assert any("staff" in e.kind and "Route: Microsoft network → Office 365 only" in e.text for e in edits)
    page = response.content.decode()
    assert page.index("Related contract formed") < page.index("Billing started")
    assert change_url(contract) in page


def test_the_timeline_writes_its_dates_as_staff_write_them(staff_client, story):
    customer, *_ = story
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = staff_client.get(_timeline_url(customer)).content.decode()
    dates = re.findall(r'<td class="event-date"[^>]*>([^<]*)</td>', page)
    assert dates[:2] == ["2024年12月1日", "2025年1月6日"]
    assert "2025-" not in " ".join(dates)


def test_timeline_queries_are_bounded(staff_client, story, staff):
    customer, *_ = story

    def count():
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(_timeline_url(customer))
        return len(captured)

    before = count()
    for _ in range(5):
        f.activate(f.contract(ServiceCode.CXM2, customer), by=staff)
    assert count() == before


def test_other_apps_add_their_own_sources(story, staff):
    customer, *_ = story

    @timeline.needs("equipment.view_unit")
    def equipment(cust):
        yield Event(D(2025, 1, 20), "Router shipped", "RT-1")

    with registry.kept():
        registry.register("timeline_sources", equipment)
        kinds = [e.kind for e in customer_timeline(customer, staff)]
    assert kinds.index("Router shipped") > kinds.index("Billing started")


def test_customer_page_links_to_its_timeline(staff_client, story):
    customer, *_ = story
    assert _timeline_url(customer) in staff_client.get(change_url(customer)).content.decode()


def test_history_page_shows_each_change_with_user_and_reason(english, staff_client, staff, story):
    _, _, contract, _ = story
    lifecycle.override_terms(contract, by=staff, reason="Loyalty discount", initial_fee=40_000)
    response = staff_client.get(reverse("admin:contracts_contract_history", args=[contract.pk]))
    page = response.content.decode()
    assert "Loyalty discount" in page
    assert "staff" in page
    records = list(response.context["page_obj"])
    assert records[0].history_delta_changes == [
        {"field": "Initial fee (yen)", "old": "50,000 yen", "new": "40,000 yen"}
    ]
    notice = next(r for r in records if r.history_change_reason == "Cancellation notice received")
    fields = {c["field"]: (c["old"], c["new"]) for c in notice.history_delta_changes}
    assert fields["Effective end"] == ("—", date_text(D(2025, 5, 1)))
    assert fields["Status"] == ("In service", "Cancellation pending")


def test_history_diffs_the_last_row_of_a_page_against_the_next_page(staff_client, staff, story, monkeypatch):
    from contracts.admin.contracts import ContractAdmin

    _, _, contract, _ = story
    monkeypatch.setattr(ContractAdmin, "history_list_per_page", 2)
    response = staff_client.get(reverse("admin:contracts_contract_history", args=[contract.pk]))
    records = list(response.context["page_obj"])
    assert len(records) == 2 and all(r.history_delta_changes for r in records)


def test_a_version_cannot_be_reverted_from_the_history(staff_client, story):
    _, _, contract, _ = story
    version = contract.history.earliest()
    url = reverse("admin:contracts_contract_simple_history", args=[contract.pk, version.history_id])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"note": "reverted"}).status_code == 403
    contract.refresh_from_db()
    assert contract.note == ""
