"""What a list's query string may hold: a bad ``limit`` or a filter value that cannot be read is refused with
a problem naming it, never read as "no filter"; a key no row has lists nothing."""

import pytest

from customers.choices import RelatedKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit", ["null", "0", "501", "-1", "1.5", ""])
def test_a_limit_outside_1_to_500_is_refused(api_as, limit):
    response = api_as("sales").get("/api/v1/customers", {"limit": limit})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "#/limit", "detail": "A whole number from 1 to 500.", "code": "invalid"}
    ]


@pytest.mark.parametrize("query", [{"isp_business": "null"}, {"customer": "x"}, {"kind": "nothing"}])
def test_a_filter_value_that_cannot_be_read_is_refused(api_as, query):
    factories.related(factories.customer(), RelatedKind.PBB)
    response = api_as("sales").get("/api/v1/related-contracts", query)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["pointer"] == f"#/{next(iter(query))}" and error["code"]


def test_an_empty_date_is_refused_and_an_empty_text_filters_nothing(api_as):
    factories.customer()
    client = api_as("sales")
    assert client.get("/api/v1/customers", {"created_before": ""}).status_code == 400
    assert len(client.get("/api/v1/customers", {"name": ""}).json()["results"]) == 1


def test_a_customer_no_row_has_lists_nothing(api_as):
    factories.related(factories.customer(), RelatedKind.PBB)
    response = api_as("sales").get("/api/v1/related-contracts", {"customer": 999999})
    assert response.status_code == 200 and response.json()["results"] == []
