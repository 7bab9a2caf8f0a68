"""What the terms forbid, tried by hand in the admin as sales and support staff would.

Every attempt must be refused with the form shown again (status 200) or a redirect carrying an
error message, naming the article where the terms give one, and must save nothing: no row, no
change record, no history version.
"""

from datetime import date

import pytest
from django.contrib import messages as message_levels

from contracts.choices import ApplicationType, BuildingType, CloudType, Interface, Route, ServiceCode, Status
from contracts.models import BandwidthArea, Contract, ContractChange, ContractOption
from customers.choices import CustomerKind, RelatedKind
from customers.models import RelatedContract
from tests import factories as f

from .conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db

D = date
HISTORIES = (Contract, ContractOption, BandwidthArea)
NO_AREAS = {"bandwidth_areas-TOTAL_FORMS": "0", "bandwidth_areas-INITIAL_FORMS": "0"}


def snapshot() -> dict:
    """Every count that a refused attempt must leave as it was."""
    counts = {m.__name__: m.objects.count() for m in (*HISTORIES, ContractChange, RelatedContract)}
    counts.update({f"{m.__name__} history": m.history.count() for m in HISTORIES})
    return counts


def form_refused(response, article: str | None) -> None:
    """The form is shown again with an error (naming ``article``)."""
    assert response.status_code == 200, response
    assert response.context["errors"] or response.context["adminform"].form.errors
    if article:
        assert article in response.content.decode()


def action_refused(response, article: str | None) -> None:
    """The action is refused (naming ``article``) with no success: before its confirmation, which rehearses
    it and shows the form again with the refusal, or, when posted straight to "yes", on the list."""
    if response.status_code == 200:
        assert not response.context["confirm"]
        errors = response.context["form"].non_field_errors()
        assert errors
        assert not article or any(article in str(e) for e in errors), errors
        return
    assert response.status_code == 302
    levels = {m.level for m in response.wsgi_request._messages}
    assert levels == {message_levels.ERROR}, [str(m) for m in response.wsgi_request._messages]
    if article:
        assert any(article in str(m) for m in response.wsgi_request._messages)


def action_form_refused(response) -> None:
    """The action's own form is shown again with its errors; nothing is confirmed."""
    assert response.status_code == 200
    assert not response.context["confirm"] and response.context["form"].errors


def add(client, model, data):
    return client.post(changelist_url(model) + "add/", data)


def edit(client, obj, **changes):
    data = change_form_data(client.get(change_url(obj)))
    data.update(changes)
    return client.post(change_url(obj), data)


def contract_data(customer, item: str, **fields) -> dict:
    return {"customer": customer.pk, "item": item, "applied_on": "2025-01-06", **NO_AREAS, **fields}


def option_data(contract, kind: str, **fields) -> dict:
    return {"contract": contract.pk, "kind": kind, "applied_on": "2025-01-06", "units": "1", **fields}


CXM2 = {"application_type": ApplicationType.ACTIVE, "route": Route.MICROSOFT, "region": "tokyo"}


# --- live fixtures -----------------------------------------------------------------------------


@pytest.fixture
def cloud_proxy(staff):
    """A live Cloud Proxy parent with a template child and a Plan 1 bypass child."""
    customer = f.customer()
    f.related(customer, RelatedKind.PBB)
    parent = f.contract(ServiceCode.CLOUD_PROXY, customer, management_unit="HQ")
    template = f.contract(ServiceCode.CLOUD_PROXY, customer, item="cloud_proxy.template.m365", parent=parent)
    bypass = f.contract(ServiceCode.CLOUD_PROXY, customer, item="cloud_proxy.bypass.p1.20k", parent=parent)
    for row in (template, bypass, parent):
        f.activate(row, by=staff)
    return {"parent": parent, "template": template, "bypass": bypass}


@pytest.fixture
def smart_hub(staff):
    """A live Smart HUB with a Type M2:Public cloud port of 500MbE."""
    hub = f.contract(ServiceCode.SMART_HUB)
    port = f.option(hub, "smart_hub.cloud_port", cloud_type=CloudType.M2_PUBLIC, interface=Interface.MBE500)
    f.activate(port, by=staff)
    f.activate(hub, by=staff)
    port.refresh_from_db()
    return {"hub": hub, "port": port}


@pytest.fixture
def isp_limited(staff):
    """A live ISP Platform bandwidth-limited contract with 200 Mbps in East Japan."""
    c = f.contract(ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", line_count=None)
    BandwidthArea.objects.create(contract=c, area="east", mbps=200)
    return f.activate(c, by=staff)


# --- add forms ---------------------------------------------------------------------------------


def test_standby_without_an_active_partner(staff_client):
    customer = f.customer()
    before = snapshot()
    data = contract_data(customer, "cxm2.100m", **{**CXM2, "application_type": ApplicationType.STANDBY})
    form_refused(add(staff_client, Contract, data), "CXM2 art. 5")
    assert snapshot() == before


def test_standby_naming_another_customers_active(staff_client, cxm2_active):
    before = snapshot()
    data = contract_data(
        f.customer(), "cxm2.100m", **{**CXM2, "application_type": ApplicationType.STANDBY, "standby_of": cxm2_active.pk}
    )
    form_refused(add(staff_client, Contract, data), "CXM2 art. 5")
    assert snapshot() == before


def test_an_active_naming_a_partner(staff_client, cxm2_active):
    before = snapshot()
    data = contract_data(cxm2_active.customer, "cxm2.100m", **CXM2, standby_of=cxm2_active.pk)
    form_refused(add(staff_client, Contract, data), "CXM2 art. 5")
    assert snapshot() == before


def test_cxm2_without_route_or_location(staff_client):
    before = snapshot()
    data = contract_data(f.customer(), "cxm2.100m", application_type=ApplicationType.ACTIVE)
    form_refused(add(staff_client, Contract, data), None)
    assert snapshot() == before


def test_item_of_another_service_than_the_one_chosen(staff_client):
    before = snapshot()
    data = contract_data(f.customer(), "smart_hub.base", service=ServiceCode.CXM2, **CXM2)
    response = add(staff_client, Contract, data)
    form_refused(response, "is not an item of this service")
    assert snapshot() == before


def test_smart_hub_without_private_backbone(staff_client):
    before = snapshot()
    form_refused(add(staff_client, Contract, contract_data(f.customer(), "smart_hub.base")), "Smart HUB art. 2")
    assert snapshot() == before


def test_smart_hub_on_another_customers_private_backbone(staff_client):
    pbb = f.related(f.customer(), RelatedKind.PBB)
    before = snapshot()
    data = contract_data(f.customer(), "smart_hub.base", related_contract=pbb.pk)
    form_refused(add(staff_client, Contract, data), "Smart HUB art. 2")
    assert snapshot() == before


def test_smart_hub_with_a_closed_network_other_than_its_backbones(staff_client):
    customer = f.customer()
    pbb = f.related(customer, RelatedKind.PBB)
    before = snapshot()
    data = contract_data(customer, "smart_hub.base", related_contract=pbb.pk, closed_network="CN-OTHER")
    form_refused(add(staff_client, Contract, data), "Smart HUB art. 3")
    assert snapshot() == before


def test_second_smart_hub_on_one_closed_network(staff_client):
    first = f.contract(ServiceCode.SMART_HUB)
    before = snapshot()
    data = contract_data(first.customer, "smart_hub.base", related_contract=first.related_contract_id)
    form_refused(add(staff_client, Contract, data), "Smart HUB art. 3")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("item", "related_kind", "isp_business"),
    [
        ("managed_router.xa", RelatedKind.CONNECTIVITY, False),
        ("managed_router.dc", RelatedKind.CONNECTIVITY, False),
        ("managed_router.ll", RelatedKind.DATA_CENTER, False),
    ],
)
def test_managed_router_item_without_its_prerequisite(staff_client, item, related_kind, isp_business):
    customer = f.customer()
    unit = f.related(customer, related_kind, isp_business=isp_business)
    before = snapshot()
    form_refused(
        add(staff_client, Contract, contract_data(customer, item, related_contract=unit.pk)), "Managed Router art. 1"
    )
    assert snapshot() == before


def test_managed_router_without_its_connectivity_contract(staff_client):
    before = snapshot()
    form_refused(add(staff_client, Contract, contract_data(f.customer(), "managed_router.ll")), "Managed Router art. 4")
    assert snapshot() == before


def test_isp_platform_for_an_individual(staff_client):
    customer = f.customer(kind=CustomerKind.INDIVIDUAL)
    before = snapshot()
    data = contract_data(customer, "isp_platform.ipoe", building_type=BuildingType.DETACHED, line_count="10")
    form_refused(add(staff_client, Contract, data), "ISP Platform art. 4")
    assert snapshot() == before


@pytest.mark.parametrize("item", ["isp_platform.ipoe", "isp_platform.ipoe_shared"])
def test_ipoe_for_an_apartment_building(staff_client, item):
    data = contract_data(
        f.customer(),
        item,
        building_type=BuildingType.APARTMENT,
        line_count="10",
        bandwidth_consent_on="2025-01-06",
        end_user_consent_on="2025-01-06",
    )
    before = snapshot()
    form_refused(add(staff_client, Contract, data), "ISP Platform art. 5 ¶5")
    assert snapshot() == before


def test_ipoe_shared_without_the_consents(staff_client):
    data = contract_data(f.customer(), "isp_platform.ipoe_shared", building_type=BuildingType.DETACHED, line_count="5")
    before = snapshot()
    form_refused(add(staff_client, Contract, data), "ISP Platform art. 5 ¶6")
    assert snapshot() == before


@pytest.mark.parametrize(("item", "line_count"), [("isp_platform.ipoe", ""), ("isp_platform.ipoe_limited", "10")])
def test_line_count_only_and_always_for_line_items(staff_client, item, line_count):
    data = contract_data(f.customer(), item, building_type=BuildingType.DETACHED, line_count=line_count)
    before = snapshot()
    form_refused(add(staff_client, Contract, data), "ISP Platform art. 1")
    assert snapshot() == before


@pytest.mark.parametrize("mbps", ["250", "0", "-100", "abc"])
def test_bandwidth_area_not_in_units_of_100_mbps(staff_client, mbps):
    data = contract_data(f.customer(), "isp_platform.ipoe_limited", building_type=BuildingType.APARTMENT)
    data.update({"bandwidth_areas-TOTAL_FORMS": "1", "bandwidth_areas-0-area": "east", "bandwidth_areas-0-mbps": mbps})
    before = snapshot()
    response = add(staff_client, Contract, data)
    form_refused(response, "ISP Platform art. 1" if mbps in ("250", "0") else None)
    assert snapshot() == before


def test_the_same_area_twice(staff_client):
    data = contract_data(f.customer(), "isp_platform.ipoe_limited", building_type=BuildingType.APARTMENT)
    data["bandwidth_areas-TOTAL_FORMS"] = "2"
    for i in (0, 1):
        data.update({f"bandwidth_areas-{i}-area": "east", f"bandwidth_areas-{i}-mbps": "100"})
    before = snapshot()
    form_refused(add(staff_client, Contract, data), None)
    assert snapshot() == before


def test_cloud_proxy_bypass_child_without_private_backbone(staff_client):
    parent = f.contract(ServiceCode.CLOUD_PROXY)
    before = snapshot()
    data = contract_data(parent.customer, "cloud_proxy.bypass.p1.20k", parent=parent.pk)
    form_refused(add(staff_client, Contract, data), "Cloud Proxy art. 6 ¶2")
    assert snapshot() == before


@pytest.mark.parametrize("parent_of", ["none", "other_customer", "a_child"])
def test_cloud_proxy_child_without_its_own_parent(staff_client, cloud_proxy, parent_of):
    customer = cloud_proxy["parent"].customer
    parent = {
        "none": "",
        "other_customer": f.contract(ServiceCode.CLOUD_PROXY).pk,
        "a_child": cloud_proxy["template"].pk,
    }[parent_of]
    before = snapshot()
    data = contract_data(customer, "cloud_proxy.template.google_workspace", parent=parent)
    form_refused(add(staff_client, Contract, data), "Cloud Proxy art. 1")
    assert snapshot() == before


@pytest.mark.parametrize("applied_on", ["", "2025-02-30", "30.02.2025"])
def test_contract_with_an_empty_or_malformed_date(staff_client, applied_on):
    data = contract_data(f.customer(), "cxm2.100m", **CXM2)
    data["applied_on"] = applied_on
    before = snapshot()
    form_refused(add(staff_client, Contract, data), None)
    assert snapshot() == before


# --- option add form -------------------------------------------------------------------------


def test_static_nat_without_firewall_integration(staff_client, cxm2_active):
    before = snapshot()
    form_refused(add(staff_client, ContractOption, option_data(cxm2_active, "cxm2.static_nat")), "CXM2 art. 7 ¶4")
    assert snapshot() == before


def test_static_nat_with_firewall_integration_on_another_contract(staff_client, staff, cxm2_active):
    f.related(cxm2_active.customer, RelatedKind.MANAGED_FIREWALL)
    other = f.activate(f.contract(ServiceCode.CXM2, cxm2_active.customer), by=staff)
    f.activate(f.option(other, "cxm2.firewall"), by=staff)
    before = snapshot()
    form_refused(add(staff_client, ContractOption, option_data(cxm2_active, "cxm2.static_nat")), "CXM2 art. 7 ¶4")
    assert snapshot() == before


@pytest.mark.parametrize("firewall_item", [None, "M/CX"])
def test_firewall_integration_without_a_managed_firewall_m_cxe(staff_client, cxm2_active, firewall_item):
    if firewall_item:
        f.related(cxm2_active.customer, RelatedKind.MANAGED_FIREWALL, firewall_item=firewall_item)
    before = snapshot()
    form_refused(add(staff_client, ContractOption, option_data(cxm2_active, "cxm2.firewall")), "CXM2 art. 7 ¶3")
    assert snapshot() == before


@pytest.mark.parametrize("on", ["parent", "template"])
def test_cloud_proxy_option_not_on_a_bypass_child(staff_client, cloud_proxy, on):
    before = snapshot()
    response = add(staff_client, ContractOption, option_data(cloud_proxy[on], "cloud_proxy.pac"))
    form_refused(response, "Cloud Proxy art. 6, art. 10")
    assert snapshot() == before


def test_internet_access_connection_without_a_recent_internet_access_contract(staff_client, cloud_proxy):
    f.related(cloud_proxy["bypass"].customer, RelatedKind.INTERNET_ACCESS, started_on=D(2020, 4, 30))
    before = snapshot()
    data = option_data(cloud_proxy["bypass"], "cloud_proxy.internet_access")
    form_refused(add(staff_client, ContractOption, data), "Cloud Proxy art. 6 ¶3")
    assert snapshot() == before


@pytest.mark.parametrize(("with_parent", "applied_on"), [("", "2025-01-06"), ("on", "2025-02-01")])
def test_initial_setup_not_applied_with_the_bypass(staff_client, cloud_proxy, with_parent, applied_on):
    data = option_data(cloud_proxy["bypass"], "cloud_proxy.initial_setup", applied_on=applied_on)
    if with_parent:
        data["applied_with_parent"] = with_parent
    before = snapshot()
    form_refused(add(staff_client, ContractOption, data), "Cloud Proxy art. 10 ¶3")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "attributes"),
    [
        ("smart_hub.onprem_port", {"port_line": "fiber", "interface": Interface.MBE100}),
        ("smart_hub.onprem_port", {"interface": Interface.GBE1}),
        ("smart_hub.onprem_port", {"port_line": "fiber", "interface": Interface.GBE1, "cloud_type": "a_public"}),
        ("smart_hub.cloud_port", {"cloud_type": CloudType.A_PRIVATE, "interface": Interface.MBE300}),
        ("smart_hub.cloud_port", {"cloud_type": CloudType.M_PUBLIC}),
        ("smart_hub.napt", {"sessions": "50000"}),
        ("smart_hub.pbb_bandwidth", {"bandwidth_gbps": "7"}),
        ("smart_hub.pbb_bandwidth", {}),
        ("smart_hub.firewall", {"sessions": "500000"}),
        ("smart_hub.static_nat", {"sessions": "30000"}),
    ],
)
def test_smart_hub_option_with_wrong_attributes(staff_client, smart_hub, kind, attributes):
    before = snapshot()
    response = add(staff_client, ContractOption, option_data(smart_hub["hub"], kind, **attributes))
    form_refused(response, "Smart HUB art.")
    assert snapshot() == before


def test_smart_hub_option_with_an_unknown_interface(staff_client, smart_hub):
    data = option_data(smart_hub["hub"], "smart_hub.onprem_port", port_line="fiber", interface="40g")
    before = snapshot()
    form_refused(add(staff_client, ContractOption, data), None)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("service", "kind"),
    [(ServiceCode.CXM2, "smart_hub.napt"), (ServiceCode.MANAGED_ROUTER, "isp_platform.router_rental")],
)
def test_option_of_another_service(staff_client, service, kind):
    contract = f.contract(service)
    before = snapshot()
    # The form offers the options of the contract's service only: another's is not a choice at all.
    response = add(staff_client, ContractOption, option_data(contract, kind))
    assert response.status_code == 200 and "kind" in response.context["adminform"].form.errors
    assert snapshot() == before


@pytest.mark.parametrize("item", ["managed_router.xa", "managed_router.dc"])
def test_cold_standby_on_xa_or_dc(staff_client, item):
    router = f.contract(ServiceCode.MANAGED_ROUTER, item=item)
    before = snapshot()
    form_refused(
        add(staff_client, ContractOption, option_data(router, "managed_router.cold_standby")), "Managed Router art. 2"
    )
    assert snapshot() == before


def test_a_second_managed_switch(staff_client, staff):
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    f.activate(f.option(router, "managed_router.managed_switch"), by=staff)
    before = snapshot()
    response = add(staff_client, ContractOption, option_data(router, "managed_router.managed_switch"))
    form_refused(response, "Managed Router art. 6")
    assert snapshot() == before


@pytest.mark.parametrize(
    "kind", ["isp_platform.router_rental", "isp_platform.ipv4_fixed_ip", "isp_platform.ipv4_port_expansion"]
)
def test_ipoe_options_on_ipoe_shared(staff_client, kind):
    shared = f.contract(
        ServiceCode.ISP_PLATFORM,
        item="isp_platform.ipoe_shared",
        bandwidth_consent_on=D(2025, 1, 6),
        end_user_consent_on=D(2025, 1, 6),
    )
    before = snapshot()
    data = option_data(shared, kind, ipv4_port_type="12800" if kind.endswith("expansion") else "")
    form_refused(add(staff_client, ContractOption, data), "ISP Platform art. 4 ¶2")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "fields", "article"),
    [
        ("isp_platform.ipv4_port_expansion", {}, "ISP Platform art. 7 ¶2"),
        ("isp_platform.ipv4_fixed_ip", {"ipv4_port_type": "64000"}, "ISP Platform art. 7 ¶2"),
        ("isp_platform.ipv4_fixed_ip", {"units": "3"}, "ISP Platform art. 7"),
        ("isp_platform.router_rental", {"units": "0"}, None),
        ("isp_platform.router_rental", {"units": ""}, None),
        ("isp_platform.router_rental", {"units": "x"}, None),
    ],
)
def test_isp_option_with_wrong_attributes(staff_client, kind, fields, article):
    ipoe = f.contract(ServiceCode.ISP_PLATFORM)
    before = snapshot()
    form_refused(add(staff_client, ContractOption, option_data(ipoe, kind, **fields)), article)
    assert snapshot() == before


# --- change forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "item"),
    [("bypass", "cloud_proxy.bypass.p2.400k"), ("template", "cloud_proxy.template.expressroute")],
)
def test_cloud_proxy_item_change_outside_the_plan(staff_client, cloud_proxy, child, item):
    row = cloud_proxy[child]
    before = snapshot()
    form_refused(edit(staff_client, row, item=item, change_accepted_on="2025-03-01"), "Cloud Proxy art. 9")
    row.refresh_from_db()
    assert row.item_id != item
    assert snapshot() == before


@pytest.mark.parametrize("isp_business", [False, True])
def test_managed_router_item_change(staff_client, staff, isp_business):
    """LL → XA is refused by art. 6 ¶2 even where the connectivity contract would suit XA (art. 1)."""
    customer = f.customer()
    unit = f.related(customer, RelatedKind.CONNECTIVITY, isp_business=isp_business)
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER, customer, related_contract=unit), by=staff)
    before = snapshot()
    form_refused(edit(staff_client, router, item="managed_router.xa"), "Managed Router art. 6 ¶2")
    router.refresh_from_db()
    assert router.item_id == "managed_router.ll"
    assert snapshot() == before


@pytest.mark.parametrize("interface", [Interface.MBE300, Interface.GBE2, "", "bogus"])
def test_m2_public_interface_downgrade_or_beyond_1gbe(staff_client, smart_hub, interface):
    port = smart_hub["port"]
    before = snapshot()
    article = "Smart HUB art. 4 ¶4" if interface in Interface.values else None
    form_refused(edit(staff_client, port, interface=interface), article)
    port.refresh_from_db()
    assert port.interface == Interface.MBE500
    assert snapshot() == before


def test_port_cloud_type_or_kind_change(staff_client, smart_hub):
    port = smart_hub["port"]
    before = snapshot()
    form_refused(edit(staff_client, port, cloud_type=CloudType.M_PUBLIC), "Smart HUB art. 4 ¶2")
    form_refused(edit(staff_client, port, kind="smart_hub.onprem_port", port_line="fiber"), None)
    assert snapshot() == before


def test_smart_hub_closed_network_change(staff_client, smart_hub):
    before = snapshot()
    form_refused(edit(staff_client, smart_hub["hub"], closed_network="CN-ELSEWHERE"), "Smart HUB art. 3")
    assert snapshot() == before


def test_active_backed_by_a_standby_becomes_standby(staff_client, staff, cxm2_active):
    standby = f.contract(
        ServiceCode.CXM2,
        cxm2_active.customer,
        application_type=ApplicationType.STANDBY,
        standby_of=cxm2_active,
    )
    f.activate(standby, by=staff)
    other = f.activate(f.contract(ServiceCode.CXM2, cxm2_active.customer), by=staff)
    before = snapshot()
    response = edit(staff_client, cxm2_active, application_type=ApplicationType.STANDBY, standby_of=other.pk)
    form_refused(response, "CXM2 art. 5")
    assert snapshot() == before


def test_line_count_change_of_bandwidth_limited(staff_client, isp_limited):
    before = snapshot()
    form_refused(edit(staff_client, isp_limited, line_count="20"), "ISP Platform art.")
    assert snapshot() == before


def test_item_change_to_ipoe_shared_with_router_rental(staff_client, staff):
    ipoe = f.activate(f.contract(ServiceCode.ISP_PLATFORM), by=staff)
    f.activate(f.option(ipoe, "isp_platform.router_rental"), by=staff)
    before = snapshot()
    response = edit(
        staff_client,
        ipoe,
        item="isp_platform.ipoe_shared",
        bandwidth_consent_on="2025-03-01",
        end_user_consent_on="2025-03-01",
    )
    form_refused(response, "ISP Platform art. 4 ¶2")
    assert snapshot() == before


def test_ipoe_changed_to_apartment(staff_client, staff):
    ipoe = f.activate(f.contract(ServiceCode.ISP_PLATFORM), by=staff)
    before = snapshot()
    form_refused(edit(staff_client, ipoe, building_type=BuildingType.APARTMENT), "ISP Platform art. 5 ¶5")
    assert snapshot() == before


@pytest.mark.parametrize(("mbps", "delete"), [("250", ""), ("200", "on")])
def test_bandwidth_area_edit_to_250_or_removing_the_last_area(staff_client, isp_limited, mbps, delete):
    data = change_form_data(staff_client.get(change_url(isp_limited)))
    data["bandwidth_areas-0-mbps"] = mbps
    if delete:
        data["bandwidth_areas-0-DELETE"] = delete
    before = snapshot()
    form_refused(staff_client.post(change_url(isp_limited), data), "ISP Platform art. 1")
    assert snapshot() == before


@pytest.mark.parametrize("accepted_on", ["2025-02-30", "yesterday"])
def test_change_with_a_malformed_acceptance_date(staff_client, cxm2_active, accepted_on):
    before = snapshot()
    form_refused(edit(staff_client, cxm2_active, route=Route.OFFICE365, change_accepted_on=accepted_on), None)
    assert snapshot() == before


# --- actions -----------------------------------------------------------------------------------


def test_accepting_twice(staff_client, cxm2_active):
    before = snapshot()
    action_refused(run_action(staff_client, Contract, "accept", [cxm2_active], on=D(2025, 2, 1)), None)
    assert snapshot() == before


def test_accepting_before_the_application(staff_client):
    c = f.contract(ServiceCode.CXM2)
    before = snapshot()
    action_refused(run_action(staff_client, Contract, "accept", [c], on=D(2025, 1, 1)), None)
    assert snapshot() == before


def test_mixed_statuses_accept_only_the_applications(staff_client, cxm2_active):
    application = f.contract(ServiceCode.CXM2)
    response = run_action(staff_client, Contract, "accept", [cxm2_active, application], on=D(2025, 2, 1))
    assert response.status_code == 302
    texts = [(m.level, str(m)) for m in response.wsgi_request._messages]
    assert (message_levels.ERROR, True) in [(level, cxm2_active.number in text) for level, text in texts]
    application.refresh_from_db()
    cxm2_active.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert (cxm2_active.status, cxm2_active.accepted_on) == (Status.ACTIVE, D(2025, 1, 10))


@pytest.mark.parametrize(
    "fields",
    [
        {"on": ""},
        {"on": "2025-02-30"},
        {"on": "2025/02/01x"},
        {"on": "2025-02-01", "initial_fee": "-1"},
        {"on": "2025-02-01", "monthly_fee": "abc"},
        {"on": "2025-02-01", "monthly_fee": "1.5"},
    ],
)
def test_accept_with_empty_or_malformed_fields(staff_client, fields):
    c = f.contract(ServiceCode.CXM2)
    before = snapshot()
    action_form_refused(run_action(staff_client, Contract, "accept", [c], **fields))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("start_billing", {"on": ""}),
        ("register_notice", {"received_on": ""}),
        ("register_notice", {"received_on": "2025-03-01", "requested_on": "2025-02-01"}),
        ("register_notice", {"received_on": "2025-13-01"}),
        ("terminate", {"on": "2025-04-01", "reason": "abolition"}),
        ("terminate", {"on": "2025-04-01", "reason": ""}),
        ("terminate", {"on": "xx", "reason": "customer_request"}),
        ("override_terms", {"reason": "asked"}),
        ("override_terms", {"min_months": "12"}),
        ("override_terms", {"min_months": "-1", "reason": "asked"}),
        ("override_terms", {"notice_days": "ten", "reason": "asked"}),
        ("override_terms", {"prorated": "maybe", "reason": "asked"}),
    ],
)
def test_action_forms_with_empty_or_malformed_fields(staff_client, cxm2_active, action, fields):
    before = snapshot()
    action_form_refused(run_action(staff_client, Contract, action, [cxm2_active], **fields))
    assert snapshot() == before


def test_billing_before_acceptance_or_of_an_application(staff_client, staff):
    accepted = f.contract(ServiceCode.CXM2)
    from contracts.services import lifecycle

    lifecycle.accept(accepted, on=D(2025, 1, 10), by=staff)
    application = f.contract(ServiceCode.CXM2)
    before = snapshot()
    action_refused(run_action(staff_client, Contract, "start_billing", [accepted, application], on=D(2025, 1, 9)), None)
    assert snapshot() == before


def test_terminating_without_notice_or_before_the_effective_date(staff_client, staff, cxm2_active):
    before = snapshot()
    action_refused(
        run_action(staff_client, Contract, "terminate", [cxm2_active], on=D(2025, 4, 1), reason="customer_request"),
        None,
    )
    assert snapshot() == before
    run_action(staff_client, Contract, "register_notice", [cxm2_active], received_on=D(2025, 3, 1))
    cxm2_active.refresh_from_db()
    assert cxm2_active.effective_end_on == D(2025, 3, 31)
    before = snapshot()
    response = run_action(
        staff_client, Contract, "terminate", [cxm2_active], on=D(2025, 3, 30), reason="customer_request"
    )
    action_refused(response, None)
    assert any("March 31, 2025" in m for m in messages_of(response))
    assert snapshot() == before


def test_terminating_before_the_acceptance(staff_client, cxm2_active):
    before = snapshot()
    response = run_action(staff_client, Contract, "terminate", [cxm2_active], on=D(2025, 1, 1), reason="gt_art28_2")
    action_refused(response, None)
    assert snapshot() == before


@pytest.mark.parametrize("action", ["withdraw_notice", "withdraw"])
def test_withdrawing_what_cannot_be_withdrawn(staff_client, cxm2_active, action):
    before = snapshot()
    action_refused(run_action(staff_client, Contract, action, [cxm2_active]), None)
    assert snapshot() == before


def test_override_terms_of_an_application(staff_client):
    c = f.contract(ServiceCode.CXM2)
    before = snapshot()
    action_refused(run_action(staff_client, Contract, "override_terms", [c], min_months="3", reason="asked"), None)
    assert snapshot() == before


def test_accepting_a_cloud_proxy_parent_without_children(staff_client):
    parent = f.contract(ServiceCode.CLOUD_PROXY)
    before = snapshot()
    action_refused(run_action(staff_client, Contract, "accept", [parent], on=D(2025, 1, 10)), "Cloud Proxy art. 6 ¶1")
    assert snapshot() == before


def test_notice_on_the_last_cloud_proxy_child_of_its_kind(staff_client, cloud_proxy):
    before = snapshot()
    response = run_action(staff_client, Contract, "register_notice", [cloud_proxy["bypass"]], received_on=D(2025, 3, 1))
    action_refused(response, "Cloud Proxy art. 6 ¶1")
    assert snapshot() == before


def test_billing_a_smart_hub_without_a_port(staff_client, staff):
    hub = f.contract(ServiceCode.SMART_HUB)
    from contracts.services import lifecycle

    lifecycle.accept(hub, on=D(2025, 1, 10), by=staff)
    before = snapshot()
    response = run_action(staff_client, Contract, "start_billing", [hub], on=D(2025, 1, 15))
    action_refused(response, "Smart HUB art. 4 ¶1")
    assert snapshot() == before


def test_stopping_the_last_smart_hub_port(staff_client, smart_hub):
    before = snapshot()
    response = run_action(
        staff_client, ContractOption, "register_notice", [smart_hub["port"]], received_on=D(2025, 3, 1)
    )
    action_refused(response, "Smart HUB art. 4 ¶1")
    assert snapshot() == before


def test_stopping_firewall_integration_under_a_static_nat(staff_client, staff, cxm2_active):
    f.related(cxm2_active.customer, RelatedKind.MANAGED_FIREWALL)
    firewall = f.activate(f.option(cxm2_active, "cxm2.firewall"), by=staff)
    f.activate(f.option(cxm2_active, "cxm2.static_nat"), by=staff)
    before = snapshot()
    response = run_action(staff_client, ContractOption, "register_notice", [firewall], received_on=D(2025, 3, 1))
    action_refused(response, "CXM2 art. 7 ¶4")
    assert snapshot() == before


def test_ending_a_private_backbone_a_bypass_still_needs(staff_client, cloud_proxy):
    pbb = RelatedContract.objects.get(customer=cloud_proxy["bypass"].customer, kind=RelatedKind.PBB)
    before = snapshot()
    response = run_action(staff_client, RelatedContract, "end_related_contract", [pbb], on=D(2025, 5, 31))
    action_refused(response, "Cloud Proxy art. 6 ¶2")
    assert snapshot() == before


def test_ending_a_connectivity_contract_under_a_managed_router(staff_client, staff):
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    before = snapshot()
    response = run_action(
        staff_client, RelatedContract, "end_related_contract", [router.related_contract], on=D(2025, 5, 31)
    )
    action_refused(response, "Managed Router art. 1")
    assert snapshot() == before


# --- ended records and rules on fields the form shows read-only --------------------------------


def test_an_ended_contract_is_a_record(staff_client, staff, cxm2_active):
    from contracts.services import lifecycle

    lifecycle.terminate(cxm2_active, on=D(2025, 2, 1), reason="gt_art28_2", by=staff)
    form = staff_client.get(change_url(cxm2_active)).context["adminform"].form
    assert set(form.fields) - {"change_accepted_on", "change_monthly_fee"} == {"note"}  # the change form's own, unused
    response = edit(staff_client, cxm2_active, route=Route.OFFICE365, region="osaka", note="closed file")
    assert response.status_code == 302
    cxm2_active.refresh_from_db()
    assert (cxm2_active.route, cxm2_active.region, cxm2_active.note) == (Route.MICROSOFT, "tokyo", "closed file")


def test_an_ended_contracts_areas_are_a_record(staff_client, staff, isp_limited):
    from contracts.services import lifecycle

    lifecycle.terminate(isp_limited, on=D(2025, 2, 1), reason="gt_art28_2", by=staff)
    data = change_form_data(staff_client.get(change_url(isp_limited)))
    data.update({"bandwidth_areas-0-mbps": "300", "bandwidth_areas-0-DELETE": "on"})
    staff_client.post(change_url(isp_limited), data)
    assert list(isp_limited.bandwidth_areas.values_list("area", "mbps")) == [("east", 200)]


@pytest.mark.parametrize("status", ["terminated", "withdrawn"])
def test_an_option_for_an_ended_or_withdrawn_contract(staff_client, staff, cxm2_active, status):
    from contracts.services import lifecycle

    if status == "terminated":
        lifecycle.terminate(cxm2_active, on=D(2025, 2, 1), reason="gt_art28_2", by=staff)
        contract = cxm2_active
    else:
        contract = lifecycle.withdraw(f.contract(ServiceCode.CXM2), by=staff)
    before = snapshot()
    form_refused(add(staff_client, ContractOption, option_data(contract, "cxm2.napt")), "takes no option")
    assert snapshot() == before


def test_accepting_an_option_left_applied_under_an_ended_contract(staff_client, staff, cxm2_active):
    from contracts.services import lifecycle

    napt = f.option(cxm2_active, "cxm2.napt")
    lifecycle.terminate(cxm2_active, on=D(2025, 2, 1), reason="gt_art28_2", by=staff)
    before = snapshot()
    action_refused(run_action(staff_client, ContractOption, "accept", [napt], on=D(2025, 2, 2)), "takes no option")
    form_refused(edit(staff_client, napt, units="2"), "takes no option")
    assert snapshot() == before


def test_a_rule_on_a_read_only_field_is_shown_not_a_server_error(staff_client):
    """An ISP Platform contract whose customer is individual (e.g. re-classified since) refuses an edit
    on its customer, which the change form shows read-only: the refusal is shown for the whole form."""
    ipoe = f.contract(ServiceCode.ISP_PLATFORM, f.customer(kind=CustomerKind.INDIVIDUAL))
    before = snapshot()
    form_refused(edit(staff_client, ipoe, line_count="12"), "ISP Platform art. 4")
    assert snapshot() == before
