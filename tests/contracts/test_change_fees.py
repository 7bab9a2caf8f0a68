"""The change fee (一時費用) is charged once per change, and only for the changes each annex prices
(ISP Platform 別紙1 §3 (1) "一回の変更につき"; Smart HUB 別紙2 §3 (1): the PBB bandwidth expansion item only)."""

from datetime import date as D

import pytest

from contracts.choices import Area, BuildingType, CloudType, Interface, PortLine, ServiceCode
from contracts.models import BandwidthArea, ChangeKind, PriceOrigin
from contracts.services import changes, lifecycle
from contracts.services.prices import record_price
from tests import factories as f

pytestmark = pytest.mark.django_db

ISP = ServiceCode.ISP_PLATFORM


def isp(item="isp_platform.ipoe", **kw):
    contract = f.contract(ISP, item=item, **kw)
    BandwidthArea.objects.create(contract=contract, area=Area.EAST, mbps=500)
    return f.activate(contract)


def fees(records) -> dict[str, int]:
    return {record.kind: record.fee for record in records}


def test_an_isp_line_count_change_has_no_fee():
    """Art. 6 ¶1 (2): a change of the line count is not an item change; 別紙1 §3 (1) prices item changes only."""
    records = changes.accept_change(isp(), on=D(2025, 3, 1), line_count=25)
    assert fees(records) == {ChangeKind.LINE_COUNT: 0}


def test_an_isp_building_type_change_has_no_fee():
    shared = {"bandwidth_consent_on": D(2025, 1, 5), "end_user_consent_on": D(2025, 1, 5)}
    contract = isp("isp_platform.ipoe_limited", building_type=BuildingType.DETACHED, line_count=None, **shared)
    records = changes.accept_change(contract, on=D(2025, 3, 1), building_type=BuildingType.APARTMENT)
    assert [r.fee for r in records] == [0]


def test_an_isp_item_change_that_clears_the_line_count_is_charged_once():
    contract = isp()
    records = changes.accept_change(contract, on=D(2025, 3, 1), item_id="isp_platform.ipoe_limited", line_count=None)
    assert fees(records) == {ChangeKind.ITEM: 50_000, ChangeKind.LINE_COUNT: 0}
    assert sum(r.fee for r in records) == contract.change_fee == 50_000


def test_a_fee_given_for_a_change_the_annex_does_not_price_is_refused():
    contract = isp()
    with f.refused("ISP Platform annex 1 §3"):
        changes.accept_change(contract, on=D(2025, 3, 1), fee=50_000, line_count=25)
    assert not contract.changes.exists()


def _hub_with(kind, **attributes):
    hub = f.contract(ServiceCode.SMART_HUB)
    lifecycle.accept(hub, on=D(2025, 1, 10))
    f.activate(f.option(hub, "smart_hub.onprem_port", port_line=PortLine.FIBER, interface=Interface.GBE1))
    option = f.activate(f.option(hub, kind, **attributes))
    lifecycle.start_billing(hub, on=D(2025, 1, 15))
    return option


def test_a_smart_hub_cloud_port_change_has_no_fee_whatever_the_frozen_change_fee():
    """別紙2 §3 names one one-time fee, the item change of the PBB bandwidth expansion option."""
    port = _hub_with("smart_hub.cloud_port", cloud_type=CloudType.M2_PUBLIC, interface=Interface.MBE500)
    assert port.change_fee == 0  # the catalog gives the ports no change fee
    record_price(port, valid_from=D(2025, 2, 1), origin=PriceOrigin.AGREEMENT, reason="mistake", change_fee=10_000)
    [record] = changes.accept_change(port, on=D(2025, 3, 1), interface=Interface.GBE1)
    assert record.fee == 0


def test_the_pbb_bandwidth_expansion_item_change_keeps_its_fee():
    option = _hub_with("smart_hub.pbb_bandwidth", bandwidth_gbps=5)
    [record] = changes.accept_change(option, on=D(2025, 3, 1), bandwidth_gbps=10)
    assert record.fee == option.change_fee == 20_000
