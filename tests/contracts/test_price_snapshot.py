"""The price snapshot frozen at acceptance: every component billing needs, never read live from the catalog."""

from datetime import date as D

import pytest

from contracts.choices import ServiceCode
from contracts.models import BandwidthArea, Item, OptionKind, PriceOrigin
from contracts.services import changes, lifecycle
from contracts.services.managed_router import record_equipment_change
from contracts.services.prices import record_price
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

RENTAL = "isp_platform.router_rental"


def test_acceptance_freezes_every_billing_component_and_catalog_edits_do_not_reach_it(staff):
    limited = f.contract(
        ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", building_type="apartment", line_count=None
    )
    BandwidthArea.objects.create(contract=limited, area="east", mbps=300)
    ipoe = f.activate(f.contract(ServiceCode.ISP_PLATFORM), by=staff)
    lifecycle.accept(limited, on=D(2025, 1, 10), by=staff)
    rental = f.activate(f.option(ipoe, RENTAL, units=3), by=staff)

    Item.objects.filter(service_id=ServiceCode.ISP_PLATFORM).update(line_fee=9, bandwidth_fee=9, change_fee=9)
    OptionKind.objects.filter(pk=RENTAL).update(cancellation_fee=9, change_fee=9)
    for row in (ipoe, limited, rental):
        row.refresh_from_db()

    assert (ipoe.line_fee, ipoe.bandwidth_fee, ipoe.change_fee) == (100, 0, 50_000)
    assert (limited.line_fee, limited.bandwidth_fee) == (0, 30_000)
    assert (rental.cancellation_fee, rental.change_fee, rental.units) == (5_000, 0, 3)


def test_change_fees_come_from_the_snapshot(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    Item.objects.filter(pk=c.item_id).update(change_fee=99_999)
    [record] = changes.accept_change(c, on=D(2025, 3, 1), by=staff, route="office365")
    assert record.fee == 10_000

    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    Item.objects.filter(pk=router.item_id).update(change_fee=99_999)
    assert record_equipment_change(router, on=D(2025, 3, 1), by=staff).fee == 10_000


def test_a_dated_price_changes_a_component_from_its_day_with_a_reason_in_history(staff):
    c = f.activate(f.contract(ServiceCode.ISP_PLATFORM), by=staff)
    price = record_price(
        c, valid_from=D(2025, 2, 1), origin=PriceOrigin.AGREEMENT, by=staff, reason="volume discount", line_fee=80
    )
    assert (price.line_fee, price.change_fee) == (80, c.change_fee)
    assert price.history.first().history_change_reason == "volume discount"
    c.refresh_from_db()
    assert c.line_fee == 100  # the acceptance terms stay as frozen


def test_an_option_has_no_contract_components_to_price(staff):
    option = f.activate(f.option(f.activate(f.contract(ServiceCode.ISP_PLATFORM)), RENTAL))
    with pytest.raises(ValueError, match="line_fee"):
        record_price(option, valid_from=D(2025, 2, 1), origin=PriceOrigin.AGREEMENT, by=staff, line_fee=1)
    price = record_price(
        option, valid_from=D(2025, 2, 1), origin=PriceOrigin.AGREEMENT, by=staff, reason="campaign", cancellation_fee=0
    )
    assert price.cancellation_fee == 0 and price.item_id is None


def test_catalog_notice_days_follow_the_notice_table():
    item = Item.objects.get(pk="managed_router.ll")
    item.notice_days = 10
    item.save()
    kind = OptionKind.objects.get(pk="managed_router.managed_switch")
    kind.notice_days = 10
    kind.save()
    assert (Item.objects.get(pk=item.pk).notice_days, OptionKind.objects.get(pk=kind.pk).notice_days) == (45, 30)
