"""Forms offer only what can be chosen: an option's kinds follow its contract's service, a related contract
reads with its kind, and a unit is assigned through a searching picker of live holders only."""

import json

import pytest
from django.urls import reverse

from contracts.choices import ServiceCode
from contracts.models import ContractOption
from customers.choices import RelatedKind
from equipment.models import Unit
from tests import factories as f
from tests.equipment import factories as ef

from .conftest import changelist_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ROUTER_RENTAL = "isp_platform.router_rental"


def _kinds(client, contract) -> set[str]:
    page = client.get(changelist_url(ContractOption) + f"add/?contract={contract.pk}")
    return {kind.pk for kind in page.context["adminform"].form.fields["kind"].queryset}


def test_the_option_add_page_offers_the_options_of_the_contracts_service_only(staff_client):
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER))
    isp = f.activate(f.contract(ServiceCode.ISP_PLATFORM))
    assert ROUTER_RENTAL not in _kinds(staff_client, router)
    assert all(kind.startswith("managed_router.") for kind in _kinds(staff_client, router))
    assert ROUTER_RENTAL in _kinds(staff_client, isp)


def test_a_related_contract_reads_with_its_kind_even_with_a_reference():
    customer = f.customer()
    access = f.related(customer, RelatedKind.INTERNET_ACCESS, reference="NET-1")
    assert str(access) == f"{access.get_kind_display()} NET-1 ({customer.code})"


def test_a_unit_is_assigned_through_a_picker_of_live_holders(staff_client):
    router = ef.router_contract()
    other = f.activate(f.contract(ServiceCode.CXM2))
    unit = ef.unit()
    page = staff_client.post(changelist_url(Unit), {"action": "assign", "_selected_action": [unit.pk]})
    assert "admin-autocomplete" in page.content.decode()
    found = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "equipment", "model_name": "unit", "field_name": "contract", "term": ""},
    )
    ids = {int(row["id"]) for row in json.loads(found.content)["results"]}
    assert router.pk in ids and other.pk not in ids
