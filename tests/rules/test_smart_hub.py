"""Smart HUB rules (SPEC §4): the Private Backbone prerequisite, ports, options, changes, consequences."""

from datetime import date as D

import pytest

from contracts.choices import CloudType, Interface, PortLine, ServiceCode, Status, TerminationReason
from contracts.models import Abolition, Contract, ContractChange, ContractOption, Item
from contracts.services import changes, lifecycle
from contracts.services.abolition import abolish
from contracts.services.related import end_related_contract
from customers.choices import RelatedKind
from tests import factories as f

pytestmark = pytest.mark.django_db

HUB = ServiceCode.SMART_HUB
ONPREM = "smart_hub.onprem_port"
CLOUD = "smart_hub.cloud_port"
ART4_1 = "(Smart HUB art. 4 ¶1)"
ART4_2 = "(Smart HUB art. 4 ¶2)"
ART4_4 = "(Smart HUB art. 4 ¶4)"


def onprem(hub, **kw):
    return f.option(hub, ONPREM, **{"port_line": PortLine.FIBER, "interface": Interface.GBE1, **kw})


def cloud(hub, cloud_type=CloudType.A_PUBLIC, interface=Interface.GBE1, **kw):
    return f.option(hub, CLOUD, cloud_type=cloud_type, interface=interface, **kw)


def live_hub(**kw) -> Contract:
    """A Smart HUB in use, with one live on-premises port."""
    hub = f.contract(HUB, **kw)
    lifecycle.accept(hub, on=D(2025, 1, 10))
    f.activate(onprem(hub))
    lifecycle.start_billing(hub, on=D(2025, 1, 15))
    return hub


# --- the contract -------------------------------------------------------------------------------


def unsaved_hub(pbb, customer=None, **kw) -> Contract:
    return Contract(
        customer=customer or pbb.customer,
        service_id=HUB,
        item=Item.objects.get(pk="smart_hub.base"),
        related_contract=pbb,
        applied_on=D(2025, 1, 6),
        **kw,
    )


@pytest.mark.parametrize(
    ("make_related", "closed_network", "article"),
    [
        pytest.param(lambda cust: f.related(cust, RelatedKind.PBB), None, None, id="pbb-of-the-customer"),
        pytest.param(lambda cust: None, "CN-X", "(Smart HUB art. 2)", id="no-pbb"),
        pytest.param(lambda cust: f.related(f.customer(), RelatedKind.PBB), None, "(Smart HUB art. 2)", id="other"),
        pytest.param(
            lambda cust: f.related(cust, RelatedKind.INTERNET_ACCESS), "CN-X", "(Smart HUB art. 2)", id="not-a-pbb"
        ),
        pytest.param(
            lambda cust: f.related(cust, RelatedKind.PBB, ended_on=D(2025, 1, 5)),
            None,
            "(Smart HUB art. 2)",
            id="pbb-ended-before-application",
        ),
        pytest.param(
            lambda cust: f.related(cust, RelatedKind.PBB), "CN-OTHER", "(Smart HUB art. 3)", id="other-closed-network"
        ),
    ],
)
def test_smart_hub_needs_a_private_backbone_of_its_closed_network_full_clean(make_related, closed_network, article):
    cust = f.customer()
    pbb = make_related(cust)
    hub = unsaved_hub(pbb, customer=cust, closed_network=closed_network)
    with f.refused(article):
        hub.full_clean()
        assert hub.closed_network == pbb.closed_network  # copied from the PBB when left empty


def test_smart_hub_pbb_is_checked_on_the_acceptance_day():
    cust = f.customer()
    pbb = f.related(cust, RelatedKind.PBB, started_on=D(2025, 1, 1), ended_on=D(2025, 1, 8))
    hub = f.contract(HUB, cust, related_contract=pbb)
    with f.refused("(Smart HUB art. 2)"):
        lifecycle.accept(hub, on=D(2025, 1, 10))


@pytest.mark.parametrize(
    ("first_status", "article"),
    [
        pytest.param(Status.APPLIED, "(Smart HUB art. 3)", id="applied-hub-on-same-network"),
        pytest.param(Status.ACTIVE, "(Smart HUB art. 3)", id="live-hub-on-same-network"),
        pytest.param(Status.TERMINATED, None, id="previous-hub-ended"),
    ],
)
def test_one_smart_hub_per_closed_network(first_status, article):
    first = f.contract(HUB) if first_status == Status.APPLIED else live_hub()
    if first_status == Status.TERMINATED:
        lifecycle.terminate(first, on=D(2025, 2, 1), reason=TerminationReason.GT_ART28_2)
    second = unsaved_hub(first.related_contract)
    with f.refused(article):
        second.full_clean()


@pytest.mark.parametrize(
    ("port", "article"),
    [
        pytest.param("onprem", None, id="live-onprem-port"),
        pytest.param("cloud", None, id="live-cloud-port"),
        pytest.param("applied", ART4_1, id="port-not-yet-accepted"),
        pytest.param(None, ART4_1, id="no-port"),
    ],
)
def test_billing_starts_only_with_a_port(port, article):
    hub = f.contract(HUB)
    lifecycle.accept(hub, on=D(2025, 1, 10))
    if port == "onprem":
        f.activate(onprem(hub))
    elif port == "cloud":
        f.activate(cloud(hub))
    elif port == "applied":
        onprem(hub)
    with f.refused(article):
        lifecycle.start_billing(hub, on=D(2025, 1, 15))


# --- options --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "attrs", "port", "article"),
    [
        pytest.param(ONPREM, {"port_line": PortLine.FIBER, "interface": "10g"}, None, None, id="onprem-10g"),
        pytest.param(ONPREM, {"port_line": PortLine.FIBER, "interface": "2g"}, None, ART4_2, id="onprem-2g"),
        pytest.param(ONPREM, {"interface": "1g"}, None, ART4_2, id="onprem-without-line"),
        pytest.param(
            ONPREM, {"port_line": PortLine.INDIVIDUAL, "interface": "1g", "sessions": 30_000}, None, ART4_2, id="extra"
        ),
        pytest.param(CLOUD, {"cloud_type": CloudType.A_PRIVATE, "interface": "5g"}, None, None, id="cloud-a-5g"),
        pytest.param(CLOUD, {"cloud_type": CloudType.M_PUBLIC, "interface": "100m"}, None, ART4_2, id="cloud-m-100m"),
        pytest.param(CLOUD, {"cloud_type": CloudType.M2_PUBLIC, "interface": "300m"}, None, None, id="cloud-m2-300m"),
        pytest.param(CLOUD, {"interface": "1g"}, None, ART4_2, id="cloud-without-type"),
        pytest.param("smart_hub.napt", {"sessions": 30_000}, CloudType.M2_PUBLIC, None, id="napt-m2-public"),
        pytest.param("smart_hub.napt", {"sessions": 50_000}, CloudType.A_PUBLIC, ART4_2, id="napt-50k"),
        pytest.param(
            "smart_hub.napt", {"sessions": 480_000}, CloudType.A_PRIVATE, "(Smart HUB art. 2 ¶2)", id="napt-private"
        ),
        pytest.param("smart_hub.firewall", {"sessions": 4_000_000}, CloudType.M_PRIVATE, None, id="fw-m-private"),
        pytest.param("smart_hub.firewall", {"sessions": 30_000}, CloudType.A_PRIVATE, ART4_2, id="fw-30k"),
        pytest.param(
            "smart_hub.firewall", {"sessions": 500_000}, CloudType.A_PUBLIC, "(Smart HUB art. 2 ¶3)", id="fw-public"
        ),
        pytest.param("smart_hub.static_nat", {}, CloudType.A_PUBLIC, None, id="static-nat-public"),
        pytest.param("smart_hub.static_nat", {}, None, "(Smart HUB art. 2 ¶4)", id="static-nat-no-cloud-port"),
        pytest.param("smart_hub.pbb_bandwidth", {"bandwidth_gbps": 10}, None, None, id="bandwidth-10"),
        pytest.param("smart_hub.pbb_bandwidth", {"bandwidth_gbps": 7}, None, ART4_2, id="bandwidth-7"),
        pytest.param(
            "smart_hub.pbb_bandwidth", {"bandwidth_gbps": 5, "interface": "1g"}, None, ART4_2, id="bandwidth-extra"
        ),
    ],
)
def test_options_carry_the_items_of_their_kind(kind, attrs, port, article):
    hub = live_hub()
    if port:
        f.activate(cloud(hub, port))
    option = f.option(hub, kind, **attrs)
    with f.refused(article):
        lifecycle.accept(option, on=D(2025, 2, 1))


@pytest.mark.parametrize(
    ("port_status", "message"),
    [
        pytest.param(Status.APPLIED, "accept it first (Smart HUB art. 2 ¶3)", id="port-applied"),
        pytest.param(Status.WITHDRAWN, "on this contract (Smart HUB art. 2 ¶3)", id="port-withdrawn"),
        pytest.param(None, "on this contract (Smart HUB art. 2 ¶3)", id="no-port"),
    ],
)
def test_an_option_whose_cloud_port_is_not_accepted_yet_says_so(port_status, message):
    """Regression: a firewall whose Type A:Private port was only applied for was told the port is missing."""
    hub = live_hub()
    if port_status:
        port = cloud(hub, CloudType.A_PRIVATE)
        if port_status == Status.WITHDRAWN:
            lifecycle.withdraw(port)
    firewall = f.option(hub, "smart_hub.firewall", sessions=500_000)
    with f.refused(message):
        firewall.full_clean()


@pytest.mark.parametrize(
    ("make_port", "fields", "article"),
    [
        pytest.param(lambda h: cloud(h, CloudType.M2_PUBLIC, "100m"), {"interface": "500m"}, None, id="m2-up"),
        pytest.param(lambda h: cloud(h, CloudType.M2_PUBLIC, "500m"), {"interface": "1g"}, None, id="m2-up-to-1g"),
        pytest.param(lambda h: cloud(h, CloudType.M2_PUBLIC, "500m"), {"interface": "300m"}, ART4_4, id="m2-down"),
        pytest.param(lambda h: cloud(h, CloudType.M2_PUBLIC, "1g"), {"interface": "2g"}, ART4_4, id="m2-beyond-1g"),
        pytest.param(lambda h: cloud(h, CloudType.A_PUBLIC, "1g"), {"interface": "2g"}, ART4_4, id="type-a-interface"),
        pytest.param(lambda h: onprem(h), {"interface": "10g"}, ART4_4, id="onprem-interface"),
        pytest.param(lambda h: onprem(h), {"port_line": PortLine.INDIVIDUAL}, ART4_2, id="onprem-line"),
        pytest.param(lambda h: cloud(h), {"cloud_type": CloudType.M_PUBLIC}, ART4_2, id="connected-cloud"),
        pytest.param(
            lambda h: f.option(h, "smart_hub.pbb_bandwidth", bandwidth_gbps=5),
            {"bandwidth_gbps": 10},
            None,
            id="pbb-bandwidth",
        ),
    ],
)
def test_option_changes_allowed_by_the_terms(make_port, fields, article):
    option = f.activate(make_port(live_hub()))
    with f.refused(article):
        records = changes.accept_change(option, on=D(2025, 3, 1), **fields)
        priced = option.kind_id == "smart_hub.pbb_bandwidth"  # the one fee of annex 2 §3
        assert [r.fee for r in records] == [option.change_fee if priced else 0]
    if article:
        assert not ContractChange.objects.filter(option=option).exists()


def _notice(option):
    lifecycle.register_notice(option, received_on=D(2025, 6, 1))


def _end_now(option):
    lifecycle.terminate(option, on=D(2025, 6, 1), reason=TerminationReason.GT_ART28_2)


@pytest.mark.parametrize(
    ("extra", "stop", "article"),
    [
        pytest.param(None, _notice, ART4_1, id="notice-for-last-port"),
        pytest.param(None, _end_now, ART4_1, id="ending-last-port"),
        pytest.param(lambda h: f.activate(cloud(h)), _notice, None, id="another-port-remains"),
        pytest.param(lambda h: cloud(h), _notice, ART4_1, id="other-port-only-applied"),
    ],
)
def test_the_last_port_cannot_stop_while_the_hub_continues(extra, stop, article):
    hub = live_hub()
    if extra:
        extra(hub)
    port = ContractOption.objects.get(contract=hub, kind_id=ONPREM)
    with f.refused(article):
        stop(port)


def test_an_abolished_port_kind_ends_even_the_last_port():
    hub = live_hub()
    abolish(Abolition.objects.create(service_id=HUB, option_kind_id=ONPREM, effective_on=D(2025, 6, 1), reason="x"))
    port = ContractOption.objects.get(contract=hub, kind_id=ONPREM)
    assert (port.status, port.termination_reason) == (Status.TERMINATED, TerminationReason.ABOLITION)


def test_the_last_port_may_stop_with_the_hub():
    hub = live_hub()
    port = ContractOption.objects.get(contract=hub, kind_id=ONPREM)
    lifecycle.register_notice(hub, received_on=D(2025, 6, 1))
    lifecycle.register_notice(port, received_on=D(2025, 6, 1))
    assert lifecycle.close_due(today=D(2025, 7, 2)) == (1, [])
    port.refresh_from_db()
    assert (port.status, port.terminated_on) == (Status.TERMINATED, D(2025, 7, 1))


@pytest.mark.parametrize(
    ("other_cloud", "article"),
    [
        pytest.param(None, "(Smart HUB art. 2 ¶2)", id="last-public-port-under-napt"),
        pytest.param(CloudType.M_PUBLIC, None, id="another-public-port-remains"),
        pytest.param(CloudType.M_PRIVATE, "(Smart HUB art. 2 ¶2)", id="only-a-private-port-remains"),
    ],
)
def test_a_cloud_port_cannot_stop_under_the_options_that_need_it(other_cloud, article):
    hub = live_hub()
    public = f.activate(cloud(hub, CloudType.A_PUBLIC))
    if other_cloud:
        f.activate(cloud(hub, other_cloud))
    f.activate(f.option(hub, "smart_hub.napt", sessions=30_000))
    with f.refused(article):
        _notice(public)


# --- consequence of the Private Backbone ending (art. 6 ¶2) -----------------------------------------


@pytest.mark.parametrize(
    ("other_pbb", "hub_status"),
    [
        pytest.param(None, Status.TERMINATED, id="last-pbb-ends-the-hub"),
        pytest.param({}, Status.ACTIVE, id="another-pbb-continues"),
        pytest.param({"ended_on": D(2025, 5, 1)}, Status.TERMINATED, id="other-pbb-already-ended"),
        pytest.param({"ended_on": D(2025, 6, 30)}, Status.TERMINATED, id="other-pbb-ends-same-day"),
    ],
)
def test_smart_hub_ends_with_the_last_private_backbone(other_pbb, hub_status, staff):
    hub = live_hub()
    bystander = live_hub()
    if other_pbb is not None:
        f.related(hub.customer, RelatedKind.PBB, **other_pbb)
    ended = end_related_contract(hub.related_contract, on=D(2025, 6, 30), by=staff)
    hub.refresh_from_db()
    bystander.refresh_from_db()
    assert hub.status == hub_status
    assert bystander.status == Status.ACTIVE
    if hub_status == Status.TERMINATED:
        assert ended == [hub]
        assert (hub.terminated_on, hub.termination_reason) == (D(2025, 6, 30), TerminationReason.CASCADE)
        assert not hub.options.live().exists()
