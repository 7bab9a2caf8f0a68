"""ISP Platform rules (SPEC §6): each rule with an allowed and a refused case, naming its article."""

from datetime import date

import pytest

from contracts.choices import Area, BuildingType, Ipv4PortType, ServiceCode, Status
from contracts.models import BandwidthArea, ChangeKind, Item
from contracts.services import changes, lifecycle
from customers.choices import CustomerKind
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


D = date
ISP = ServiceCode.ISP_PLATFORM
IPOE, SHARED, LIMITED = "isp_platform.ipoe", "isp_platform.ipoe_shared", "isp_platform.ipoe_limited"
RENTAL, PORTS, FIXED_IP, DSLITE = (
    "isp_platform.router_rental",
    "isp_platform.ipv4_port_expansion",
    "isp_platform.ipv4_fixed_ip",
    "isp_platform.dslite",
)
CONSENTS = {"bandwidth_consent_on": D(2025, 1, 5), "end_user_consent_on": D(2025, 1, 5)}
APARTMENT = {"building_type": BuildingType.APARTMENT}
LIMITED_KW = {"building_type": BuildingType.APARTMENT, "line_count": None}


def isp(item=IPOE, *, customer_kind=CustomerKind.CORPORATE, areas=(), **kw):
    contract = f.contract(ISP, f.customer(kind=customer_kind), item=item, **kw)
    for area, mbps in areas:
        BandwidthArea.objects.create(contract=contract, area=area, mbps=mbps)
    return contract


@pytest.mark.parametrize(
    ("item", "kw", "article"),
    [
        (IPOE, {}, None),
        (IPOE, {"customer_kind": CustomerKind.INDIVIDUAL}, "ISP Platform art. 4"),
        (IPOE, APARTMENT, "ISP Platform art. 5 ¶5"),
        (SHARED, {**CONSENTS, **APARTMENT}, "ISP Platform art. 5 ¶5"),
        (LIMITED, LIMITED_KW, None),
        (SHARED, CONSENTS, None),
        (SHARED, {"bandwidth_consent_on": D(2025, 1, 5)}, "ISP Platform art. 5 ¶6"),
        (SHARED, {"end_user_consent_on": D(2025, 1, 5)}, "ISP Platform art. 5 ¶6"),
        (IPOE, {"line_count": None}, "ISP Platform art. 1"),
        (SHARED, {**CONSENTS, "line_count": 0}, "ISP Platform art. 1"),
        (LIMITED, {**LIMITED_KW, "line_count": 5}, "ISP Platform art. 1"),
    ],
    ids=[
        "corporate",
        "individual-refused",
        "ipoe-apartment-refused",
        "shared-apartment-refused",
        "limited-apartment",
        "shared-with-consents",
        "shared-without-end-user-consent-refused",
        "shared-without-bandwidth-consent-refused",
        "ipoe-without-line-count-refused",
        "shared-zero-lines-refused",
        "limited-with-line-count-refused",
    ],
)
def test_contract_rules_through_full_clean(item, kw, article):
    contract = isp(item, **kw)
    with f.refused(article):
        contract.full_clean()


@pytest.mark.parametrize(
    ("areas", "article"),
    [([(Area.EAST, 300)], None), ([(Area.EAST, 100), (Area.WEST, 200)], None), ([], "ISP Platform art. 1")],
    ids=["one-area", "two-areas", "no-area-refused"],
)
def test_limited_needs_an_area_when_accepted(staff, areas, article):
    contract = isp(LIMITED, areas=areas, **LIMITED_KW)
    contract.full_clean()  # while applied, the areas may still be entered
    with f.refused(article):
        lifecycle.accept(contract, on=D(2025, 1, 10), by=staff)
    contract.refresh_from_db()
    assert contract.status == (Status.ACCEPTED if article is None else Status.APPLIED)


@pytest.mark.parametrize(
    ("accepted_on", "article"),
    [(D(2024, 11, 30), None), (D(2024, 12, 1), "ISP Platform art. 1")],
    ids=["formed-before-2024-12-01-continues", "formed-under-new-terms-refused"],
)
def test_limited_formed_before_the_2024_terms_continues_unchanged(staff, accepted_on, article):
    """A legacy contract with one overall limit and a line count, no areas (附則 2024-12-01 ¶2)."""
    contract = isp(LIMITED, building_type=BuildingType.APARTMENT, line_count=3, applied_on=D(2024, 11, 1))
    contract.status, contract.accepted_on = Status.ACCEPTED, accepted_on
    lifecycle._freeze_terms(contract)
    contract.save()
    with f.refused(article):
        contract.full_clean()


@pytest.mark.parametrize(
    ("service", "mbps", "article"),
    [
        (ISP, 200, None),
        (ISP, 150, "ISP Platform art. 1"),
        (ISP, 0, "ISP Platform art. 1"),
        (ServiceCode.CXM2, 100, "ISP Platform art. 1"),
    ],
    ids=["200-mbps", "150-mbps-refused", "zero-refused", "other-service-refused"],
)
def test_bandwidth_area_through_full_clean(service, mbps, article):
    contract = isp(LIMITED, **LIMITED_KW) if service == ISP else f.contract(service)
    with f.refused(article):
        BandwidthArea(contract=contract, area=Area.WEST, mbps=mbps).full_clean()


@pytest.mark.parametrize(
    ("item", "kind", "kw", "article"),
    [
        (IPOE, RENTAL, {"units": 3}, None),
        (LIMITED, RENTAL, {}, None),
        (SHARED, RENTAL, {}, "ISP Platform art. 4 ¶2"),
        (LIMITED, FIXED_IP, {}, None),
        (SHARED, FIXED_IP, {}, "ISP Platform art. 4 ¶2"),
        (IPOE, PORTS, {"ipv4_port_type": Ipv4PortType.PORTS_64000}, None),
        (SHARED, PORTS, {"ipv4_port_type": Ipv4PortType.PORTS_12800}, "ISP Platform art. 4 ¶2"),
        (SHARED, DSLITE, {}, None),
        (IPOE, PORTS, {}, "ISP Platform art. 7 ¶2"),
        (IPOE, FIXED_IP, {"ipv4_port_type": Ipv4PortType.PORTS_12800}, "ISP Platform art. 7 ¶2"),
        (IPOE, FIXED_IP, {"units": 2}, "ISP Platform art. 7"),
    ],
    ids=[
        "rental-ipoe-3-units",
        "rental-limited",
        "rental-shared-refused",
        "fixed-ip-limited",
        "fixed-ip-shared-refused",
        "ports-ipoe",
        "ports-shared-refused",
        "dslite-shared",
        "ports-without-type-refused",
        "type-on-fixed-ip-refused",
        "units-on-fixed-ip-refused",
    ],
)
def test_option_rules_through_full_clean(item, kind, kw, article):
    contract_kw = {SHARED: CONSENTS, LIMITED: LIMITED_KW}.get(item, {})
    option = f.option(isp(item, **contract_kw), kind, **kw)
    with f.refused(article):
        option.full_clean()


def test_option_rule_through_lifecycle(staff):
    option = f.option(isp(SHARED, **CONSENTS), FIXED_IP)
    with f.refused("ISP Platform art. 4 ¶2"):
        lifecycle.accept(option, on=D(2025, 1, 10), by=staff)


def active(item=IPOE, staff=None, **kw):
    contract = isp(item, **kw)
    return f.activate(contract, by=staff)


def test_item_change_is_recorded_with_its_fee(staff):
    contract = active(staff=staff, **CONSENTS)
    [record] = changes.accept_change(contract, on=D(2025, 3, 1), by=staff, item_id=SHARED)
    names = (str(Item.objects.get(pk=IPOE)), str(Item.objects.get(pk=SHARED)))
    assert (record.kind, (record.old_value, record.new_value), record.fee) == (ChangeKind.ITEM, names, 50000)


@pytest.mark.parametrize(
    ("option_status", "article"),
    [("live", "ISP Platform art. 4 ¶2"), ("stopped", None)],
    ids=["live-router-rental-refused", "stopped-router-rental"],
)
def test_item_change_keeps_every_live_option_allowed(staff, option_status, article):
    contract = active(staff=staff, **CONSENTS)
    rental = f.activate(f.option(contract, RENTAL), by=staff)
    if option_status == "stopped":
        lifecycle.terminate(rental, on=D(2025, 2, 1), reason="gt_art28_2", by=staff)
    with f.refused(article):
        changes.accept_change(contract, on=D(2025, 3, 1), by=staff, item_id=SHARED)
    contract.refresh_from_db()
    assert contract.item_id == (SHARED if article is None else IPOE)
    assert contract.changes.filter(kind=ChangeKind.ITEM).exists() == (article is None)


def test_item_change_to_limited_with_areas(staff):
    contract = active(staff=staff, areas=[(Area.EAST, 500)])
    records = changes.accept_change(contract, on=D(2025, 3, 1), by=staff, item_id=LIMITED, line_count=None)
    assert {r.kind for r in records} == {ChangeKind.ITEM, ChangeKind.LINE_COUNT}


@pytest.mark.parametrize(
    ("item", "article"),
    [(IPOE, None), (SHARED, None), (LIMITED, "ISP Platform art. 6")],
    ids=["ipoe", "shared", "legacy-limited-refused"],
)
def test_line_count_changes_only_for_line_items(staff, item, article):
    kw = {SHARED: CONSENTS, LIMITED: {"building_type": BuildingType.APARTMENT}}
    contract = isp(item, applied_on=D(2024, 11, 1), **kw.get(item, {}))
    f.activate(contract, accepted_on=D(2024, 11, 5), billing_on=D(2024, 11, 5), by=staff)
    with f.refused(article):
        changes.accept_change(contract, on=D(2025, 3, 1), by=staff, line_count=25)
    recorded = list(contract.changes.values_list("kind", "old_value", "new_value"))
    assert recorded == ([(ChangeKind.LINE_COUNT, "10", "25")] if article is None else [])


def test_the_third_party_duties_of_shared_bandwidth_are_acknowledged_on_isp_platform_only():
    """Art. 5 ¶6 (3): a customer offering bandwidth control to third parties binds them to the same duties."""
    shared = isp(SHARED, **CONSENTS, third_party_duties_on=D(2025, 1, 5))
    with f.refused(None):
        shared.full_clean()
    other = f.contract(ServiceCode.CXM2)
    other.third_party_duties_on = D(2025, 1, 5)
    with f.refused("ISP Platform art. 5 ¶6 (3)"):
        other.full_clean()
