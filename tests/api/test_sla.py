"""Outages with the contracts they hit, and credits with their amount, contract, month and invoice, read through
the API with the admin's filters, at the same cost for 3 rows as for 30."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import Access
from sla.models import Credit, CreditStatus, ExclusionReason
from sla.services import claims, outages
from tests.sla import builders as b

pytestmark = pytest.mark.django_db


def _outages(count: int, start_day: int = 1):
    """``count`` outages in March 2025, each hitting two contracts."""
    for n in range(count):
        row = b.outage(b.at(2025, 3, 1 + (start_day + n) % 28, 10, n % 60), timedelta(hours=1))
        outages.affect(row, [b.live(), b.live()], by=None)


def _credits(count: int):
    for n in range(count):
        row = b.outage(b.at(2025, 3, 1 + n % 28, 11, n % 60), timedelta(hours=2))
        contract = b.live()
        outages.affect(row, [contract], by=None)
        claims.decide(b.claim(row, contract, date(2025, 3, 30)), on=date(2025, 3, 30), by=None)


def _same_cost(client, url, grow, first, more):
    grow(first)
    client.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["results"]) == first
    grow(more)
    with CaptureQueriesContext(connection) as many:
        rows = client.get(f"{url}?limit=100").json()["results"]
    assert len(rows) == first + more and len(many) == len(few)
    return rows


def test_outages_cost_the_same_for_3_and_30(api_as):
    rows = _same_cost(api_as("sales", Access.READ), "/api/v1/outages", _outages, 3, 27)
    first = rows[0]
    assert first["duration_seconds"] == 3600 and len(first["affected"]) == 2
    affected = first["affected"][0]
    assert affected["contract_number"] and affected["monthly_fee"] == b.FEE and affected["availability_credit"] >= 0


def test_outage_filters(api_as):
    client = api_as("billing", Access.READ)
    hit = b.live()
    kept = b.outage(b.at(2025, 3, 3, 10), timedelta(hours=2), cause="fibre cut")
    outages.affect(kept, [hit], by=None)
    b.outage(
        b.at(2025, 4, 3, 10),
        timedelta(hours=2),
        excluded=True,
        exclusion_reason=ExclusionReason.NOT_OUR_FAULT,
        exclusion_note="power cut in the building",
    )

    def ids(query):
        response = client.get(f"/api/v1/outages?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("excluded=false") == [kept.pk]
    assert ids("exclusion_reason=not_our_fault") != [kept.pk]
    assert ids(f"contract_number={hit.number}") == [kept.pk]
    assert ids(f"customer_name={hit.customer.name}") == [kept.pk]
    assert ids("cause=FIBRE") == [kept.pk]
    assert ids("started_before=2025-03-31&started_after=2025-03-01") == [kept.pk]


def test_credits_cost_the_same_for_3_and_30(api_as):
    rows = _same_cost(api_as("billing", Access.READ), "/api/v1/credits", _credits, 3, 27)
    credit = Credit.objects.select_related("claim__affected__contract").get(pk=rows[0]["id"])
    assert rows[0]["amount"] == credit.amount > 0
    assert rows[0]["contract_number"] == credit.claim.affected.contract.number
    assert rows[0]["month"] == "2025-03" and rows[0]["invoiced"] is False and rows[0]["status"] == "granted"


def test_credit_filters(api_as):
    client = api_as("billing", Access.READ)
    _credits(2)
    invoiced, other = Credit.objects.order_by("pk")
    Credit.objects.filter(pk=invoiced.pk).update(
        status=CreditStatus.INVOICED, invoice_number="INV-1", invoiced_on=date(2025, 4, 30)
    )
    contract = other.claim.affected.contract

    def ids(query):
        response = client.get(f"/api/v1/credits?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("status=invoiced") == [invoiced.pk]
    assert ids("invoice_number=INV-1") == [invoiced.pk]
    assert ids(f"contract_number={contract.number}") == [other.pk]
    assert ids("month=2025-03") == [other.pk, invoiced.pk] and ids("month=2025-04") == []
    assert ids("granted_after=2025-03-31") == []
    refused = client.get("/api/v1/credits?month=March")
    assert refused.status_code == 400 and refused.json()["errors"][0]["pointer"] == "#/month"


def test_who_reads_outages_and_credits(api_as):
    b.a_credit()
    assert api_as("logistics", Access.READ).get("/api/v1/outages").status_code == 403
    assert api_as("approver", Access.READ).get("/api/v1/credits").status_code == 403
    assert api_as("auditor", Access.READ).get("/api/v1/credits").status_code == 200
    assert api_as("sales", Access.READ).post("/api/v1/outages", {}).status_code == 403
