"""A prerequisite related contract (関連契約) cannot end while one of our contracts or options needs it.

Smart HUB is the exception the terms make: it ends with the last PBB (tested in test_smart_hub.py).
"""

from datetime import date as D

import pytest

from contracts.choices import ServiceCode, Status
from contracts.services import lifecycle
from contracts.services.related import end_related_contract
from customers.choices import RelatedKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _bypass(cust):
    parent = f.contract(ServiceCode.CLOUD_PROXY, cust)
    f.activate(f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.template.m365", parent=parent))
    bypass = f.activate(f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.bypass.p1.20k", parent=parent))
    f.activate(parent)
    return bypass


def pbb_needed_by_bypass(second: bool):
    cust = f.customer()
    pbb = f.related(cust, RelatedKind.PBB)
    if second:
        f.related(cust, RelatedKind.PBB)
    _bypass(cust)
    return pbb


def firewall_needed(second: bool):
    cust = f.customer()
    firewall = f.related(cust, RelatedKind.MANAGED_FIREWALL)
    if second:
        f.related(cust, RelatedKind.MANAGED_FIREWALL)
    f.activate(f.option(f.activate(f.contract(ServiceCode.CXM2, cust)), "cxm2.firewall"))
    return firewall


def internet_access_needed(second: bool):
    cust = f.customer()
    f.related(cust, RelatedKind.PBB)
    access = f.related(cust, RelatedKind.INTERNET_ACCESS, started_on=D(2021, 4, 1))
    if second:
        f.related(cust, RelatedKind.INTERNET_ACCESS, started_on=D(2022, 4, 1))
    f.activate(f.option(_bypass(cust), "cloud_proxy.internet_access"))
    return access


def router_unit_needed(second: bool):
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER))
    if second:  # a router that has ended no longer holds its unit
        lifecycle.register_notice(router, received_on=D(2025, 3, 1))
        lifecycle.terminate(router, on=D(2025, 4, 15))
    return router.related_contract


@pytest.mark.parametrize(
    ("build", "second", "article"),
    [
        pytest.param(pbb_needed_by_bypass, False, "(Cloud Proxy art. 6 ¶2)", id="last-pbb-with-bypass"),
        pytest.param(pbb_needed_by_bypass, True, None, id="pbb-with-another-pbb"),
        pytest.param(firewall_needed, False, "(CXM2 art. 7 ¶3)", id="last-mcxe-with-integration"),
        pytest.param(firewall_needed, True, None, id="mcxe-with-another"),
        pytest.param(internet_access_needed, False, "(Cloud Proxy art. 6 ¶3)", id="last-internet-access"),
        pytest.param(internet_access_needed, True, None, id="internet-access-with-another"),
        pytest.param(router_unit_needed, False, "(Managed Router art. 1, art. 4)", id="router-unit-live"),
        pytest.param(router_unit_needed, True, None, id="router-unit-after-router-ended"),
    ],
)
def test_related_contract_ends_only_when_nothing_needs_it(build, second, article):
    related = build(second)
    with f.refused(article):
        end_related_contract(related, on=D(2025, 6, 30))
    related.refresh_from_db()
    assert related.ended_on == (None if article else D(2025, 6, 30))


def test_refusal_names_the_contracts_that_need_it():
    related = router_unit_needed(False)
    router = related.contracts.get()
    with f.refused(router.number):
        end_related_contract(related, on=D(2025, 6, 30))
    assert router.status == Status.ACTIVE
