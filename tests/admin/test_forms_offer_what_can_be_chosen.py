"""Forms offer only what can be chosen: an option's kinds follow its contract's service, a related contract
reads with its kind, and a unit is assigned through a searching picker of live holders only."""

import pytest

from contracts.choices import ServiceCode
from contracts.models import ContractOption
from customers.choices import RelatedKind
from tests import factories as f

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
