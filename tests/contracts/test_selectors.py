"""The public face other apps read: the right rows, the frozen prices, a constant number of queries."""

from datetime import date as D

import pytest

from backoffice.months import Month
from contracts import selectors
from contracts.choices import Area, Region, ServiceCode, TerminationReason
from contracts.models import BandwidthArea, Item, OneTimeFee, OneTimeFeeKind
from contracts.services import changes, lifecycle
from tests import factories as f

pytestmark = pytest.mark.django_db

RENTAL = "isp_platform.router_rental"


def _billed(service=ServiceCode.CXM2, cust=None, billing_on=D(2025, 1, 15), **kw):
    return f.activate(f.contract(service, cust, **kw), billing_on=billing_on)


def test_billable_contracts_of_a_month_carry_their_frozen_prices(django_assert_num_queries):
    in_month = _billed()
    from_next_month = _billed(billing_on=D(2025, 2, 1))
    ended_before = _billed()
    lifecycle.terminate(ended_before, on=D(2025, 1, 20), reason=TerminationReason.GT_ART28_3)
    ended_in_month = _billed()
    lifecycle.terminate(ended_in_month, on=D(2025, 2, 3), reason=TerminationReason.GT_ART28_3)
    f.contract(ServiceCode.CXM2)  # an application: nothing to bill
    Item.objects.filter(pk=in_month.item_id).update(monthly_fee=1)

    with django_assert_num_queries(1):
        rows = {c.pk: c for c in selectors.billable_contracts(month=Month(2025, 2))}
        assert rows[in_month.pk].monthly_fee == 60_000 and rows[in_month.pk].customer.code
    assert set(rows) == {in_month.pk, from_next_month.pk, ended_in_month.pk}
    assert ended_before.pk in {c.pk for c in selectors.billable_contracts(month=Month(2025, 1))}


def test_billable_contracts_sum_the_isp_bandwidth(django_assert_num_queries):
    limited = f.contract(
        ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", building_type="apartment", line_count=None
    )
    for area, mbps in (("east", 300), ("west", 200)):
        BandwidthArea.objects.create(contract=limited, area=area, mbps=mbps)
    f.activate(limited)
    _billed()
    with django_assert_num_queries(1):
        mbps = {c.pk: (c.bandwidth_mbps, c.bandwidth_fee) for c in selectors.billable_contracts(month=Month(2025, 3))}
    assert mbps[limited.pk] == (500, 30_000)
    assert sorted(mbps.values())[0] == (0, 0)


def test_billable_options_change_fees_and_one_time_fees_of_a_month(django_assert_num_queries):
    isp = _billed(ServiceCode.ISP_PLATFORM)
    BandwidthArea.objects.create(contract=isp, area=Area.EAST, mbps=500)
    rental = f.activate(f.option(isp, RENTAL, units=2), billing_on=D(2025, 3, 1))
    changes.accept_change(isp, on=D(2025, 3, 4), line_count=12)  # no fee: not listed
    change, _ = changes.accept_change(isp, on=D(2025, 3, 5), item_id="isp_platform.ipoe_limited", line_count=None)
    router = _billed(ServiceCode.MANAGED_ROUTER, isp.customer)
    fee = OneTimeFee.objects.create(
        contract=router, kind=OneTimeFeeKind.TRAVEL, amount=4_200, incurred_on=D(2025, 3, 9), reason="site visit"
    )
    with django_assert_num_queries(3):
        options = [
            (o.pk, o.units, o.cancellation_fee, o.contract.customer.code)
            for o in selectors.billable_options(month=Month(2025, 3))
        ]
        fees = [(c.pk, c.fee, c.contract.customer.code) for c in selectors.change_fees(month=Month(2025, 3))]
        manual = [(m.pk, m.amount, m.contract.customer.code) for m in selectors.one_time_fees(month=Month(2025, 3))]
    assert options == [(rental.pk, 2, 5_000, isp.customer.code)]
    assert fees == [(change.pk, 50_000, isp.customer.code)]
    assert manual == [(fee.pk, 4_200, isp.customer.code)]
    assert not selectors.billable_options(month=Month(2025, 2)).exists()


def test_sla_contracts_filter_by_customer_service_location_and_closed_network(django_assert_num_queries):
    cust = f.customer()
    tokyo = _billed(ServiceCode.CXM2, cust)
    osaka = _billed(ServiceCode.CXM2, cust, region=Region.OSAKA)
    hub = lifecycle.accept(f.contract(ServiceCode.SMART_HUB, cust), on=D(2025, 1, 10))
    _billed(ServiceCode.MANAGED_ROUTER, cust)  # no quality guarantee
    ended = _billed(ServiceCode.CXM2, cust)
    lifecycle.terminate(ended, on=D(2025, 2, 1), reason=TerminationReason.GT_ART28_3)

    def pks(**filters):
        with django_assert_num_queries(1):
            return {c.pk for c in selectors.sla_contracts(**filters)}

    assert pks(customer=cust) == {tokyo.pk, osaka.pk, hub.pk}
    assert pks(customer=cust, service=ServiceCode.CXM2, location=Region.OSAKA) == {osaka.pk}
    assert pks(closed_network=hub.closed_network) == {hub.pk}


def test_live_contracts_routers_and_rented_routers_of_a_customer(django_assert_num_queries):
    cust = f.customer()
    router = _billed(ServiceCode.MANAGED_ROUTER, cust)
    isp = _billed(ServiceCode.ISP_PLATFORM, cust)
    rental = f.activate(f.option(isp, RENTAL, units=4))
    old_router = _billed(ServiceCode.MANAGED_ROUTER, cust)
    lifecycle.terminate(old_router, on=D(2025, 2, 1), reason=TerminationReason.GT_ART28_3)
    _billed(ServiceCode.MANAGED_ROUTER)  # another customer's

    with django_assert_num_queries(4):
        live = {c.pk for c in selectors.live_contracts(customer=cust)}
        routers = {c.pk for c in selectors.managed_router_contracts(customer=cust)}
        all_routers = {c.pk for c in selectors.managed_router_contracts(customer=cust, live_only=False)}
        rentals = [(o.pk, o.units, o.contract.customer_id) for o in selectors.router_rental_options(customer=cust)]
    assert live == {router.pk, isp.pk}
    assert (routers, all_routers) == ({router.pk}, {router.pk, old_router.pk})
    assert rentals == [(rental.pk, 4, cust.pk)]
