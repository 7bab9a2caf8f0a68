"""The SLA admin pages: contracts picked for an outage with the credits previewed before saving, claims
decided with a confirmation, the timeline and the worklists."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from backoffice import worklists
from backoffice.roles import BILLING, SALES
from backoffice.timeline import customer_timeline
from contracts.choices import Region, ServiceCode
from sla.models import AffectedContract, Claim, ClaimStatus, Credit, FailureNotification, Outage
from sla.services import outages
from tests import factories as f
from tests.admin.conftest import change_url, messages_of, run_action

from .builders import a_claim, a_credit, an_outage, at, live, outage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def affect_url(row):
    return reverse("admin:sla_outage_affect", args=[row.pk])


def test_picking_contracts_previews_their_credits_and_saves_only_on_confirmation(staff_client):
    customer = f.customer()
    a, b = live(customer=customer), live(customer=customer, fee=30_000)
    live()  # another customer's: not picked
    row = outage(at(2025, 3, 3, 10), timedelta(hours=13))  # 1/10
    assert f'href="{affect_url(row)}"' in staff_client.get(change_url(row)).content.decode()

    preview = staff_client.post(affect_url(row), {"customer": customer.code})
    assert preview.status_code == 200
    shown = {e.contract: (e.availability_credit, e.after_cap) for e in preview.context["estimates"]}
    assert shown == {a: (9_000, 9_000), b: (3_000, 3_000)}
    assert "9,000" in preview.content.decode()  # yen grouped in the preview
    assert not AffectedContract.objects.exists()  # nothing saved by the preview

    done = staff_client.post(affect_url(row), {"customer": customer.code, "contract": [a.pk], "_confirm": "1"})
    assert done.status_code == 302
    assert list(row.affected.values_list("contract", "availability_credit")) == [(a.pk, 9_000)]  # what was shown


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choose a customer"),
        ({"customer": "NOPE"}, "No customer has this code"),
        ({"customer": "x" * 500}, "at most 20"),
        ({"service": "cloud_proxy"}, "Select a valid choice"),
        ({"location": "\x00"}, "Select a valid choice"),
    ],
)
def test_hostile_picks_are_form_errors(staff_client, data, error):
    response = staff_client.post(affect_url(an_outage()), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AffectedContract.objects.exists()


def test_picking_by_service_location_or_closed_network(staff_client):
    tokyo, osaka, hub = live(region=Region.TOKYO), live(region=Region.OSAKA), live(ServiceCode.SMART_HUB)
    row = an_outage()

    def picked(**data):
        return {e.contract for e in staff_client.post(affect_url(row), data).context["estimates"]}

    assert picked(service=ServiceCode.CXM2) == {tokyo, osaka}
    assert picked(location=Region.OSAKA) == {osaka}
    assert picked(closed_network=hub.closed_network) == {hub}


def test_saving_an_outage_in_the_admin_recomputes_its_credits(staff_client):
    contract = live()
    row = outage(at(2025, 3, 3, 10), timedelta(hours=2))
    staff_client.post(affect_url(row), {"customer": contract.customer.code, "contract": [contract.pk], "_confirm": "1"})
    data = {
        "started_at_0": "2025-03-03",
        "started_at_1": "10:00:00",
        "ended_at_0": "2025-03-04",
        "ended_at_1": "12:00:00",
        "cause": "router failure",
        "affected-TOTAL_FORMS": "1",
        "affected-INITIAL_FORMS": "1",
        "affected-0-id": row.affected.get().pk,
        "affected-0-outage": row.pk,
        "notifications-TOTAL_FORMS": "0",
        "notifications-INITIAL_FORMS": "0",
        "alerts-TOTAL_FORMS": "0",
        "alerts-INITIAL_FORMS": "0",
    }
    assert staff_client.post(change_url(row), data).status_code == 302
    assert row.affected.get().availability_credit == 18_000  # 26 h: 1/5


def test_a_recorded_notification_is_by_the_recorder_and_changes_the_credits(staff_client, staff):
    contract = live()
    row = outage(at(2025, 3, 3, 10), timedelta(minutes=20))
    staff_client.post(affect_url(row), {"customer": contract.customer.code, "contract": [contract.pk], "_confirm": "1"})
    data = {
        "outage": row.pk,
        "customer": contract.customer_id,
        "detected_at_0": "2025-03-03",
        "detected_at_1": "10:00:00",
        "notified_at_0": "2025-03-03",
        "notified_at_1": "10:30:01",
    }
    assert staff_client.post(reverse("admin:sla_failurenotification_add"), data).status_code == 302
    assert FailureNotification.objects.get().notified_by == staff
    assert row.affected.get().notification_credit == 3_000


def test_deciding_claims_confirms_first_then_grants_or_refuses_each(staff_client):
    in_time = a_claim()
    late = a_claim()
    Claim.objects.filter(pk=late.pk).update(claimed_on=date(2025, 6, 4))  # deadline 2025-06-03
    late.refresh_from_db()
    confirm = staff_client.post(
        reverse("admin:sla_claim_changelist"),
        {"action": "decide", "_selected_action": [in_time.pk, late.pk], "_step": "form", "on": "2025-06-05"},
    )
    assert confirm.context["warnings"] == [f"{late}: claimed after the deadline June 3, 2025, it will be refused."]
    assert Claim.objects.filter(status=ClaimStatus.RECEIVED).count() == 2  # nothing decided before confirmation
    response = run_action(staff_client, Claim, "decide", [in_time, late], on=date(2025, 6, 5))
    assert response.status_code == 302
    in_time.refresh_from_db()
    late.refresh_from_db()
    assert (in_time.status, late.status) == (ClaimStatus.GRANTED, ClaimStatus.REFUSED)
    assert "June 3, 2025" in late.refusal_reason
    assert any("refused" in m for m in messages_of(response))
    waiting = a_claim()
    for page in (reverse("admin:sla_claim_changelist"), change_url(waiting)):
        html = staff_client.get(page).content.decode()
        assert "June 3, 2025" in html  # the deadline, before the decision too


def test_outages_and_credits_are_on_the_customer_timeline(staff):
    credit = a_credit()
    customer = credit.claim.affected.contract.customer
    kinds = [event.kind for event in customer_timeline(customer, staff)]
    assert "Outage" in kinds and "Credit granted" in kinds


def test_a_contracts_own_exclusion_is_on_the_customer_timeline(staff):
    contract = live()
    row = an_outage()
    outages.affect(row, [contract], by=None)
    AffectedContract.objects.filter(outage=row).update(
        excluded=True, exclusion_reason="customer_breach", exclusion_note="unauthorised device"
    )
    [event] = [event for event in customer_timeline(contract.customer, staff) if event.kind == "Outage"]
    assert "(excluded: The customer breached its duties)" in event.text


def test_timeline_queries_do_not_grow_with_outages(django_assert_max_num_queries, staff):
    customer = f.customer()
    contracts = [live(customer=customer) for _ in range(2)]
    row = an_outage()
    outages.affect(row, contracts, by=None)
    with django_assert_max_num_queries(40) as few:
        customer_timeline(customer, staff)
    for _ in range(3):
        outages.affect(an_outage(), contracts, by=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        customer_timeline(customer, staff)


def test_worklists_count_claims_to_decide_for_billing_and_credits_not_invoiced(login_as_role):
    a_claim(), a_credit()
    billing = {
        link.label: link.count for _, links in worklists.visible(_user(login_as_role, BILLING)) for link in links
    }
    assert billing["Claims to decide"] == 1
    assert billing["Credits granted, not yet invoiced"] == 1
    sales = {link.label for _, links in worklists.visible(_user(login_as_role, SALES)) for link in links}
    assert "Claims to decide" not in sales


def _user(login_as_role, role):
    client = login_as_role(role)
    return client.get(reverse("admin:index")).wsgi_request.user


def test_credits_and_affected_rows_are_read_only(staff_client):
    credit = a_credit()
    assert staff_client.get(reverse("admin:sla_credit_add")).status_code == 403
    assert staff_client.get(reverse("admin:sla_affectedcontract_add")).status_code == 403
    assert 'name="_save"' not in staff_client.get(change_url(credit)).content.decode()
    assert Credit.objects.count() == 1 and Outage.objects.count() == 1


def test_sales_excludes_one_contract_in_the_admin_and_its_credits_follow(login_as_role):
    """A customer's own breach is recorded on its affected contract; the credits are recomputed, never typed."""
    contract, other = live(), live()
    row = outage(at(2025, 3, 3, 10), timedelta(hours=2))
    outages.affect(row, [contract, other], by=None)
    affected = row.affected.get(contract=contract)
    client = login_as_role(SALES)
    data = {
        "excluded": "on",
        "exclusion_reason": "customer_breach",
        "exclusion_note": "unauthorised device",
        "availability_credit": 99,
    }
    assert client.post(change_url(affected), data).status_code == 302
    affected.refresh_from_db()
    assert (affected.excluded, affected.availability_credit) == (True, 0)
    assert row.affected.get(contract=other).availability_credit == 3_000
    listed = client.get(reverse("admin:sla_affectedcontract_changelist"), {"excluded__exact": "1"})
    assert list(listed.context["cl"].result_list) == [affected]
