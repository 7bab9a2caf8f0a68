"""Contracts and options through the API: read with their dates, terms, attributes and prices in force, a page at
a constant cost; applied for and moved by the admin's services, under its permissions, refusals naming the
article, If-Match and Idempotency-Key kept."""

import threading
from datetime import date as D
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Access, ApiToken
from contracts.choices import ApplicationType, ServiceCode, Status
from contracts.models import Contract, ContractChange, ContractOption
from contracts.services import changes
from tests import factories as f

pytestmark = pytest.mark.django_db

CXM2 = ServiceCode.CXM2


def etag(client, url) -> str:
    return client.get(url)["ETag"]


def act(client, url, verb, body=None, **headers):
    """POST ``verb`` on the row at ``url`` with the ETag just read."""
    return client.post(f"{url}/{verb}", body or {}, format="json", HTTP_IF_MATCH=etag(client, url), **headers)


def application(customer, **fields) -> dict:
    return {
        "customer": customer.pk,
        "item": "cxm2.100m",
        "application_type": "active",
        "route": "microsoft",
        "region": "tokyo",
        "applied_on": "2025-01-06",
        **fields,
    }


# Read


def test_a_contract_shows_its_state_dates_terms_attributes_prices_and_options(api_as):
    contract = f.activate(f.contract(CXM2))
    option = f.option(contract, "cxm2.napt")
    changes.accept_change(contract, on=D(2025, 3, 1), item_id="cxm2.1g", prices={"monthly_fee": 200000})
    response = api_as("logistics").get(f"/api/v1/contracts/{contract.pk}")
    assert response.status_code == 200 and response["ETag"]
    row = response.json()
    assert row["status"] == "active"
    assert row["customer"] == {"id": contract.customer_id, "code": contract.customer.code}
    assert row["item"] == {"code": "cxm2.1g", "name": "1 Gbps"}
    assert row["dates"]["accepted_on"] == "2025-01-10" and row["dates"]["billing_start_on"] == "2025-01-15"
    assert row["dates"]["min_period_end_on"] == contract.min_period_end_on.isoformat()
    assert row["terms"]["monthly_fee"] == 60000 and row["terms"]["notice_days"] == 30
    assert row["attributes"]["application_type"] == "active" and row["attributes"]["region"] == "tokyo"
    assert [(p["valid_from"], p["item"], p["monthly_fee"]) for p in row["prices"]] == [
        ("2025-01-10", "cxm2.100m", 60000),
        ("2025-03-01", "cxm2.1g", 200000),
    ]
    assert row["options"] == [{"id": option.pk, "kind": "cxm2.napt", "status": "applied"}]


def test_an_option_shows_its_contract_customer_and_prices(api_as):
    contract = f.activate(f.contract(CXM2))
    option = f.activate(f.option(contract, "cxm2.napt"))
    row = api_as("sales").get(f"/api/v1/options/{option.pk}").json()
    assert row["contract"] == {"id": contract.pk, "number": contract.number}
    assert row["customer"]["code"] == contract.customer.code
    assert row["kind"]["code"] == "cxm2.napt" and row["status"] == "active"
    assert row["prices"] == [{"valid_from": "2025-01-10", "monthly_fee": 8000, "change_fee": 0, "cancellation_fee": 0}]


def test_the_lists_filter_as_the_admin(api_as):
    customer = f.customer(name="株式会社青葉")
    live = f.activate(f.contract(CXM2, customer))
    isp = f.contract(ServiceCode.ISP_PLATFORM, customer)
    f.contract(CXM2)
    napt = f.option(live, "cxm2.napt")
    client = api_as("sales")

    def ids(url):
        return {row["id"] for row in client.get(url).json()["results"]}

    assert ids(f"/api/v1/contracts?customer={customer.pk}&service=cxm2") == {live.pk}
    assert ids(f"/api/v1/contracts?customer_code={customer.code}&status=active") == {live.pk}
    assert ids(f"/api/v1/options?customer_name={customer.name[-3:]}") == {napt.pk}
    assert ids("/api/v1/contracts?billing_start_after=2025-01-15&billing_start_before=2025-01-15") == {live.pk}
    assert ids("/api/v1/contracts?live=true") == {live.pk}
    assert ids("/api/v1/contracts?item=isp_platform.ipoe") == {isp.pk}
    assert ids(f"/api/v1/options?contract={live.pk}&kind=cxm2.napt&service=cxm2") == {napt.pk}
    assert ids("/api/v1/options?status=active") == set()
    assert ids("/api/v1/contracts?item=no.such.item") == set()


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/contracts?service=nope", "service"),
        ("/api/v1/options?customer_kind=robot", "customer_kind"),
        ("/api/v1/options?customer=1.5", "customer"),
    ],
)
def test_a_filter_value_outside_the_schema_is_refused_naming_it(api_as, url, field):
    response = api_as("sales").get(url)
    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == [f"#/{field}"]


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def _contracts(n):
    for _ in range(n):
        contract = f.activate(f.contract(CXM2))
        f.option(contract, "cxm2.napt")
        changes.accept_change(contract, on=D(2025, 3, 1), item_id="cxm2.1g")


@pytest.mark.parametrize("url", ["/api/v1/contracts?limit=100", "/api/v1/options?limit=100"])
def test_a_page_costs_the_same_for_3_rows_and_30(api_as, url):
    client = api_as("sales")
    _contracts(3)
    client.get(url)  # the token's first use is recorded once
    three = _queries(client, url)
    _contracts(27)
    thirty = _queries(client, url)
    assert (three[1], thirty[1]) == (3, 30)
    assert three[0] == thirty[0]


# Write


def test_apply_for_a_contract_as_the_admin_does(api_as):
    customer = f.customer(code="D00030")
    client = api_as("sales")
    response = client.post("/api/v1/contracts", application(customer), format="json")
    assert response.status_code == 201, response.json()
    contract = Contract.objects.get()
    assert response["Location"].endswith(f"/api/v1/contracts/{contract.pk}") and response["ETag"]
    assert (contract.number, contract.status, contract.service_id) == ("D00030-01", Status.APPLIED, CXM2)
    assert response.json()["number"] == "D00030-01"
    record = contract.history.get()
    token = ApiToken.objects.get(user=client.user)
    assert record.history_user == client.user and record.history_change_reason == f"API ({token.name})"


def test_apply_for_an_option(api_as):
    contract = f.activate(f.contract(CXM2))
    response = api_as("sales").post("/api/v1/options", {"contract": contract.pk, "kind": "cxm2.napt"}, format="json")
    assert response.status_code == 201, response.json()
    option = ContractOption.objects.get()
    assert response["Location"].endswith(f"/api/v1/options/{option.pk}")
    assert option.applied_on == timezone.localdate() and option.status == Status.APPLIED


@pytest.mark.parametrize(
    ("fields", "article"),
    [
        pytest.param({"application_type": "standby"}, "(CXM2 art. 5)", id="standby-without-active-partner"),
        pytest.param(
            {"item": "isp_platform.ipoe", "application_type": None, "route": None, "region": None, "line_count": 10},
            "(ISP Platform art. 5)",
            id="isp-platform-without-building-type",
        ),
    ],
)
def test_an_application_the_rules_refuse_is_a_422_naming_the_article(api_as, fields, article):
    response = api_as("sales").post("/api/v1/contracts", application(f.customer(), **fields), format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert article in response.json()["detail"]
    assert not Contract.objects.exists()


def test_a_contract_through_its_lifecycle(api_as):
    client = api_as("sales")
    contract = f.contract(CXM2)
    url = f"/api/v1/contracts/{contract.pk}"
    applied = etag(client, url)
    accepted = act(client, url, "accept", {"on": "2025-01-10", "monthly_fee": 55000})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["terms"]["monthly_fee"] == 55000 and accepted["ETag"] not in (applied, "")
    assert act(client, url, "start-billing", {"on": "2025-01-15"}).json()["status"] == "active"
    change = {"on": "2025-02-01", "changes": {"route": "office365"}, "fee": 0, "prices": {"monthly_fee": 58000}}
    changed = act(client, url, "change", change)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["attributes"]["route"] == "office365"
    assert [(p["valid_from"], p["monthly_fee"]) for p in changed.json()["prices"]] == [
        ("2025-01-10", 55000),
        ("2025-02-01", 58000),
    ]
    assert ContractChange.objects.get(contract=contract).new_value == "Office 365 only"
    received = timezone.localdate() - timedelta(days=1)
    noticed = act(client, url, "notice", {"received_on": received.isoformat()})
    assert noticed.json()["status"] == "cancelling" and noticed.json()["dates"]["effective_end_on"]
    assert act(client, url, "withdraw-notice").json()["status"] == "active"
    ended = act(client, url, "terminate", {"on": "2025-03-01", "reason": "gt_art28_2", "note": "unpaid"})
    assert ended.status_code == 200, ended.json()
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (Status.TERMINATED, D(2025, 3, 1))
    assert contract.history.latest().history_change_reason.startswith("unpaid — API (")


def test_an_option_is_accepted_and_withdrawn(api_as):
    client = api_as("sales")
    contract = f.activate(f.contract(CXM2))
    accepted, withdrawn = f.option(contract, "cxm2.napt"), f.option(contract, "cxm2.napt")
    assert act(client, f"/api/v1/options/{accepted.pk}", "accept", {"on": "2025-01-20"}).json()["status"] == "accepted"
    assert act(client, f"/api/v1/options/{withdrawn.pk}", "withdraw").json()["status"] == "withdrawn"


def test_a_day_outside_the_products_dates_is_refused_on_its_field(api_as):
    contract = f.contract(CXM2)
    response = act(api_as("sales"), f"/api/v1/contracts/{contract.pk}", "accept", {"on": "2100-01-01"})
    assert response.status_code == 400
    assert [error["code"] for error in response.json()["errors"]] == ["date_out_of_range"]


def test_an_acceptance_before_the_application_is_refused(api_as):
    contract = f.contract(CXM2)
    response = act(api_as("sales"), f"/api/v1/contracts/{contract.pk}", "accept", {"on": "2025-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"] == "The acceptance date cannot be before the application date."
    contract.refresh_from_db()
    assert contract.status == Status.APPLIED


def test_a_customer_requested_end_before_the_effective_date_names_the_notice_article(api_as):
    client = api_as("sales")
    contract = f.activate(f.contract(CXM2))
    url = f"/api/v1/contracts/{contract.pk}"
    assert act(client, url, "notice", {"received_on": "2025-02-01"}).status_code == 200
    response = act(client, url, "terminate", {"on": "2025-02-10"})
    assert response.status_code == 422
    assert "it cannot end earlier (CXM2 art. 10)" in response.json()["detail"]


def test_a_standby_accepted_without_a_live_active_partner_is_refused(api_as):
    partner = f.contract(CXM2)  # applied, not yet accepted
    standby = f.contract(CXM2, partner.customer, application_type=ApplicationType.STANDBY, standby_of=partner)
    response = act(api_as("sales"), f"/api/v1/contracts/{standby.pk}", "accept", {"on": "2025-01-10"})
    assert response.status_code == 422 and "(CXM2 art. 5)" in response.json()["detail"]


def test_if_match_is_required_and_must_be_current(api_as):
    client = api_as("sales")
    contract = f.contract(CXM2)
    url = f"/api/v1/contracts/{contract.pk}/accept"
    stale = etag(client, f"/api/v1/contracts/{contract.pk}")
    Contract.objects.filter(pk=contract.pk).update(note="edited meanwhile")
    missing = client.post(url, {"on": "2025-01-10"}, format="json")
    assert missing.status_code == 428 and missing.json()["code"] == "if-match-required"
    refused = client.post(url, {"on": "2025-01-10"}, format="json", HTTP_IF_MATCH=stale)
    assert refused.status_code == 412 and refused.json()["code"] == "stale-etag"
    contract.refresh_from_db()
    assert contract.status == Status.APPLIED


@pytest.mark.parametrize(
    ("role", "access", "why"),
    [
        ("sales", Access.READ, "This token is read-only."),
        ("billing", Access.WRITE, "Your role may not do this."),
        ("logistics", Access.WRITE, "Your role may not do this."),
    ],
)
def test_who_may_not_act_is_403(api_as, role, access, why):
    contract = f.contract(CXM2)
    client = api_as(role, access)
    url = f"/api/v1/contracts/{contract.pk}"
    accept = client.post(f"{url}/accept", {"on": "2025-01-10"}, format="json", HTTP_IF_MATCH=etag(client, url))
    apply = client.post("/api/v1/contracts", application(contract.customer), format="json")
    assert (accept.status_code, apply.status_code) == (403, 403)
    assert accept.json()["detail"] == why
    assert Contract.objects.count() == 1


def test_an_apply_replayed_with_its_idempotency_key_applies_once(api_as):
    client = api_as("sales")
    body = application(f.customer())
    first = client.post("/api/v1/contracts", body, format="json", HTTP_IDEMPOTENCY_KEY="apply-1")
    again = client.post("/api/v1/contracts", body, format="json", HTTP_IDEMPOTENCY_KEY="apply-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again.json()["id"] == first.json()["id"] and again["Location"] == first["Location"]
    assert Contract.objects.count() == 1
    other = client.post("/api/v1/contracts", {**body, "note": "another"}, format="json", HTTP_IDEMPOTENCY_KEY="apply-1")
    assert other.status_code == 422 and "another request" in other.json()["detail"]
    assert Contract.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_apply_posted_twice_at_once_applies_once(on_postgres, api_as):
    sales = api_as("sales")
    body = application(f.customer())
    barrier = threading.Barrier(2)
    answers = []

    def post():
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {sales.raw_token}")
        try:
            barrier.wait()
            answers.append(client.post("/api/v1/contracts", body, format="json", HTTP_IDEMPOTENCY_KEY="once"))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Contract.objects.count() == 1
