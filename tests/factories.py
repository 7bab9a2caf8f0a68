"""Small builders for test data: sensible defaults, everything overridable by keyword."""

import contextlib
import itertools
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contracts.choices import ApplicationType, BuildingType, ItemRole, Region, Route, ServiceCode
from contracts.models import Contract, ContractOption, Item, OptionKind
from contracts.services import lifecycle
from customers.choices import CustomerKind, RelatedKind
from customers.models import Customer, RelatedContract

_seq = itertools.count(1)

#: Attributes a contract of each service needs to satisfy the database constraints.
SERVICE_DEFAULTS = {
    ServiceCode.CXM2: {"application_type": ApplicationType.ACTIVE, "route": Route.MICROSOFT, "region": Region.TOKYO},
    ServiceCode.CLOUD_PROXY: {},
    ServiceCode.SMART_HUB: {},
    ServiceCode.MANAGED_ROUTER: {},
    ServiceCode.ISP_PLATFORM: {"building_type": BuildingType.DETACHED, "line_count": 10},
}
DEFAULT_ITEM = {
    ServiceCode.CXM2: "cxm2.100m",
    ServiceCode.CLOUD_PROXY: "cloud_proxy.parent",
    ServiceCode.SMART_HUB: "smart_hub.base",
    ServiceCode.MANAGED_ROUTER: "managed_router.ll",
    ServiceCode.ISP_PLATFORM: "isp_platform.ipoe",
}


def customer(**kw) -> Customer:
    n = next(_seq)
    kw.setdefault("code", f"T{n:05d}")
    kw.setdefault("kind", CustomerKind.CORPORATE)
    kw.setdefault("name", f"テスト株式会社{n}")
    return Customer.objects.create(**kw)


def related(cust: Customer, kind: str, **kw) -> RelatedContract:
    kw.setdefault("started_on", date(2020, 1, 1))
    if kind == RelatedKind.PBB:
        kw.setdefault("closed_network", f"CN{next(_seq):05d}")
    if kind == RelatedKind.MANAGED_FIREWALL:
        kw.setdefault("firewall_item", "M/CXE")
    return RelatedContract.objects.create(customer=cust, kind=kind, **kw)


def contract(service: str, cust: Customer | None = None, *, item: str | None = None, **kw) -> Contract:
    """An applied contract of ``service`` saved without running the rules (tests set up any state)."""
    cust = cust or customer()
    item_obj = Item.objects.get(code=item or DEFAULT_ITEM[service])
    fields = {**SERVICE_DEFAULTS[service], "applied_on": date(2025, 1, 6), **kw}
    if service == ServiceCode.SMART_HUB and "closed_network" not in fields:
        pbb = fields.setdefault("related_contract", related(cust, RelatedKind.PBB))
        fields["closed_network"] = pbb.closed_network
    if item_obj.role == ItemRole.PARENT:
        fields.setdefault("management_unit", f"MU{next(_seq):05d}")  # one parent per management unit (art. 1)
    if item_obj.role == ItemRole.BYPASS:
        fields.setdefault("region", Region.TOKYO)  # chosen at contract time (Cloud Proxy art. 5 ¶1)
    if service == ServiceCode.MANAGED_ROUTER and "related_contract" not in fields:
        fields["related_contract"] = _router_unit(cust, item_obj.code)
    return Contract.objects.create(customer=cust, service_id=service, item=item_obj, **fields)


def _router_unit(cust: Customer, item_code: str) -> RelatedContract:
    """The connectivity or data center contract a managed router of ``item_code`` is for (art. 1, 4)."""
    if item_code == "managed_router.dc":
        return related(cust, RelatedKind.DATA_CENTER)
    return related(cust, RelatedKind.CONNECTIVITY, isp_business=item_code == "managed_router.xa")


def option(parent: Contract, kind: str, **kw) -> ContractOption:
    kw.setdefault("applied_on", parent.applied_on)
    return ContractOption.objects.create(contract=parent, kind=OptionKind.objects.get(code=kind), **kw)


def activate(obj, *, accepted_on: date = date(2025, 1, 10), billing_on: date = date(2025, 1, 15), by=None):
    """Accept and start billing through the lifecycle service."""
    lifecycle.accept(obj, on=accepted_on, by=by)
    lifecycle.start_billing(obj, on=billing_on, by=by)
    obj.refresh_from_db()
    return obj


@contextlib.contextmanager
def refused(article: str | None):
    """Expect a refusal naming ``article`` (e.g. "CXM2 art. 5"), or no refusal when ``article`` is None.

    Messages are read in English, where the source names the article.
    """
    with translation.override("en"):
        if article is None:
            yield
        else:
            with pytest.raises(ValidationError, match=re.escape(article)):
                yield
