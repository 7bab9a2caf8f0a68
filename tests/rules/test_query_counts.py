"""The rules' share of the queries on the write paths stays small.

Each case bounds the queries that ``check_contract`` / ``check_option`` run inside one step
(Django's own field and constraint validation is not counted here). Measured when written:
CXM2 full_clean 2, accept 2 (was 3), start_billing 2; a static NAT option's accept 4 (was 5);
a Smart HUB's start_billing 5 (was 7); a Cloud Proxy parent's accept 3 (was 6).
"""

from datetime import date as D

import pytest

from contracts import rules
from contracts.choices import CloudType, Interface, ServiceCode
from contracts.services import lifecycle
from customers.choices import RelatedKind
from tests import factories as f

pytestmark = pytest.mark.django_db

ACCEPTED, BILLED = D(2025, 1, 10), D(2025, 1, 15)


@pytest.fixture
def rules_read_at_most(monkeypatch, django_assert_max_num_queries):
    """Bound the queries of every check the models run from now on."""

    def limit(count: int) -> None:
        for name in ("check_contract", "check_option"):
            real = getattr(rules, name)

            def bounded(obj, real=real):
                with django_assert_max_num_queries(count):
                    real(obj)

            monkeypatch.setattr(rules, name, bounded)

    return limit


def _cxm2():
    return f.contract(ServiceCode.CXM2)


def _static_nat():
    cxm2 = f.activate(f.contract(ServiceCode.CXM2))
    f.related(cxm2.customer, RelatedKind.MANAGED_FIREWALL)
    f.activate(f.option(cxm2, "cxm2.firewall"))
    return f.option(cxm2, "cxm2.static_nat")


def _smart_hub_with_a_port():
    hub = f.contract(ServiceCode.SMART_HUB)
    lifecycle.accept(hub, on=ACCEPTED)
    port = f.option(hub, "smart_hub.cloud_port", cloud_type=CloudType.A_PRIVATE, interface=Interface.GBE1)
    lifecycle.accept(port, on=ACCEPTED)
    return hub


def _cloud_proxy_parent():
    parent = f.contract(ServiceCode.CLOUD_PROXY)
    f.related(parent.customer, RelatedKind.PBB)
    for item in ("cloud_proxy.template.m365", "cloud_proxy.bypass.p1.20k"):
        lifecycle.accept(f.contract(ServiceCode.CLOUD_PROXY, parent.customer, item=item, parent=parent), on=ACCEPTED)
    return parent


def _full_clean(obj):
    type(obj).objects.get(pk=obj.pk).full_clean()


def _accept(obj):
    lifecycle.accept(obj, on=ACCEPTED)


def _start_billing(obj):
    lifecycle.start_billing(obj, on=BILLED)


@pytest.mark.parametrize(
    ("make", "before", "step", "count"),
    [
        pytest.param(_cxm2, None, _full_clean, 2, id="cxm2-full_clean"),
        # A move reads the customer once (a suspended customer takes nothing new); a Cloud Proxy parent also
        # reads the other parents of its management unit (art. 1).
        pytest.param(_cxm2, None, _accept, 3, id="cxm2-accept"),
        pytest.param(_cxm2, _accept, _start_billing, 3, id="cxm2-start_billing"),
        pytest.param(_static_nat, None, _accept, 5, id="static-nat-accept"),
        pytest.param(_smart_hub_with_a_port, None, _start_billing, 6, id="smart-hub-start_billing"),
        pytest.param(_cloud_proxy_parent, None, _accept, 5, id="cloud-proxy-parent-accept"),
    ],
)
def test_the_rules_read_little_on_each_step(rules_read_at_most, make, before, step, count):
    obj = make()
    if before:
        before(obj)
    obj = type(obj).objects.get(pk=obj.pk)
    rules_read_at_most(count)
    step(obj)
