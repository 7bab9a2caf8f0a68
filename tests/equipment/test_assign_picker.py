"""The assign action's holder picker: a search over the live holders at any size, labelled with their kind; an
ended holder posted anyway is refused by the rule with its article, not by a narrowed choice list."""

from datetime import date

import pytest
from django.urls import reverse

from contracts.choices import ServiceCode
from equipment.choices import UnitState
from equipment.models import Unit
from tests import factories as f
from tests.admin.conftest import changelist_url
from tests.billing.helpers import ended

from . import factories as ef

pytestmark = pytest.mark.django_db
SEARCH = "admin:equipment_unit_assign_holders"


def _search(client, **params):
    response = client.get(reverse(SEARCH), params)
    assert response.status_code == 200
    return response.json()


def test_the_search_finds_live_holders_by_number_or_customer_and_names_their_kind(staff_client):
    router = ef.router_contract()
    rental = ef.rental_option(3)
    gone = ended(ef.router_contract(), on=date(2025, 6, 30))
    found = _search(staff_client, term=router.number, field_name="contract")["results"]
    assert found == [
        {"id": str(router.pk), "text": f"{router.number} {router.service} {router.item} ({router.customer})"}
    ]
    by_customer = _search(staff_client, term=router.customer.name, field_name="contract")["results"]
    assert str(router.pk) in {row["id"] for row in by_customer}
    assert str(gone.pk) not in {row["id"] for row in _search(staff_client, term="", field_name="contract")["results"]}
    options = _search(staff_client, term=rental.contract.number, field_name="option")["results"]
    assert [row["id"] for row in options] == [str(rental.pk)]
    assert "3 units" in options[0]["text"] and str(rental.kind) in options[0]["text"]


def test_the_search_pages_its_results_and_asks_the_move_permission(staff_client, login_as_role):
    for _ in range(23):
        ef.router_contract()
    first = _search(staff_client, field_name="contract")
    second = _search(staff_client, field_name="contract", page=2)
    assert (len(first["results"]), first["pagination"]["more"]) == (20, True)
    assert (len(second["results"]), second["pagination"]["more"]) == (3, False)
    assert login_as_role("auditor").get(reverse(SEARCH)).status_code == 403


def test_the_form_shows_the_search_widget_and_refuses_an_ended_contract_with_its_article(staff_client):
    unit = ef.unit()
    gone = ended(f.activate(f.contract(ServiceCode.MANAGED_ROUTER)), on=date(2025, 6, 30))
    data = {"action": "assign", "_selected_action": [unit.pk], "_step": "form", "on": "2025-07-01"}
    page = staff_client.post(changelist_url(Unit), data).content.decode()
    assert "admin-autocomplete" in page and reverse(SEARCH) in page
    response = staff_client.post(
        changelist_url(Unit), {**data, "_step": "confirm", "_confirm": "1", "contract": gone.pk}, follow=True
    )
    assert (
        "Units are assigned to live Managed Router contracts only (Managed Router art. 3)." in response.content.decode()
    )
    unit.refresh_from_db()
    assert unit.status == UnitState.IN_STOCK


@pytest.mark.parametrize("typed", ["あおば", "ｱｵﾊﾞ", "ｶﾌﾞｼｷｶﾞｲｼｬｱｵﾊﾞ"])
def test_the_search_finds_a_holder_by_its_customers_reading_however_typed(staff_client, typed):
    aoba = f.customer(name="株式会社青葉システムズ", name_kana="アオバシステムズ")
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER, aoba))
    rental = f.activate(
        f.option(f.activate(f.contract(ServiceCode.ISP_PLATFORM, aoba)), "isp_platform.router_rental", units=2)
    )
    ef.router_contract()  # another customer's
    assert [row["id"] for row in _search(staff_client, term=typed, field_name="contract")["results"]] == [
        str(router.pk)
    ]
    assert [row["id"] for row in _search(staff_client, term=typed, field_name="option")["results"]] == [str(rental.pk)]
