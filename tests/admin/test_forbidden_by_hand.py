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


@pytest.mark.parametrize(
    ("kind", "attributes"),
    [
        ("smart_hub.cloud_port", {"cloud_type": CloudType.M_PUBLIC}),
        ("smart_hub.pbb_bandwidth", {}),
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


@pytest.mark.parametrize(
    ("kind", "fields", "article"),
    [
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


def test_stopping_the_last_smart_hub_port(staff_client, smart_hub):
    before = snapshot()
    response = run_action(
        staff_client, ContractOption, "register_notice", [smart_hub["port"]], received_on=D(2025, 3, 1)
    )
    action_refused(response, "Smart HUB art. 4 ¶1")
    assert snapshot() == before


def test_ending_a_private_backbone_a_bypass_still_needs(staff_client, cloud_proxy):
    pbb = RelatedContract.objects.get(customer=cloud_proxy["bypass"].customer, kind=RelatedKind.PBB)
    before = snapshot()
    response = run_action(staff_client, RelatedContract, "end_related_contract", [pbb], on=D(2025, 5, 31))
    action_refused(response, "Cloud Proxy art. 6 ¶2")
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
