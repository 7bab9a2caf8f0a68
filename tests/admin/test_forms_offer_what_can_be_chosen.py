"""Forms offer only what can be chosen: an option's kinds follow its contract's service, a related contract
reads with its kind, and a unit is assigned through a searching picker of live holders only."""

import pytest

from contracts.choices import ServiceCode
from contracts.models import ContractOption
from contracts.models.option import OPTION_ATTRIBUTES
from customers.choices import RelatedKind
from tests import factories as f

from .conftest import change_form_data, change_url, changelist_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ROUTER_RENTAL = "isp_platform.router_rental"
ROUTER = ServiceCode.MANAGED_ROUTER


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


def _attributes(page) -> set[str]:
    return set(page.context["adminform"].form.fields) & set(OPTION_ATTRIBUTES)


def test_the_option_form_shows_the_attributes_of_its_contracts_service_only(staff_client):
    hub, isp, router = (f.contract(service) for service in (ServiceCode.SMART_HUB, ServiceCode.ISP_PLATFORM, ROUTER))
    add = changelist_url(ContractOption) + "add/"
    assert _attributes(staff_client.get(f"{add}?contract={hub.pk}")) == {
        "port_line", "cloud_type", "interface", "sessions", "bandwidth_gbps"
    }  # fmt: skip
    page = staff_client.get(f"{add}?contract={isp.pk}")
    assert _attributes(page) == {"ipv4_port_type", "units"}
    assert "field-port_line" not in page.content.decode()
    assert _attributes(staff_client.get(f"{add}?contract={router.pk}")) == set()

    posted = {**change_form_data(page), "contract": isp.pk, "kind": ROUTER_RENTAL, "units": 3, "port_line": "x"}
    assert staff_client.post(add, posted).status_code == 302
    rental = isp.options.get()
    assert (rental.units, rental.port_line) == (3, None)
    assert _attributes(staff_client.get(change_url(rental))) == {"ipv4_port_type", "units"}


def test_the_option_add_page_without_a_contract_lets_its_script_show_the_chosen_options_service(staff_client):
    page = staff_client.get(changelist_url(ContractOption) + "add/")
    assert _attributes(page) == set(OPTION_ATTRIBUTES)
    [[select, service_of_kind]] = page.context["service_choosers"]
    assert (select, service_of_kind[ROUTER_RENTAL]) == ("id_kind", ServiceCode.ISP_PLATFORM)
    assert page.context["service_fields"][ServiceCode.SMART_HUB][0] == "port_line"
    assert 'id="service-fields"' in page.content.decode()
