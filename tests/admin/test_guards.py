"""Rows that live contracts depend on, edited by hand in the admin (review findings A and B).

A: the customer page's related-contract inline deleted a PBB that a cloud bypass child needs, and saved
a new kind, formation date or closed network on the PBB of a live Smart HUB. B: a customer holding ISP
Platform became an individual, and a customer holding live contracts was closed.
"""

from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin

from contracts.admin.contracts import BandwidthAreaInline
from contracts.choices import ServiceCode
from contracts.models import Abolition
from customers.choices import CustomerKind, CustomerStatus, RelatedKind
from customers.models import Customer, RelatedContract
from tests import factories as f
from tests.rules.test_related_ends import pbb_needed_by_bypass
from tests.rules.test_smart_hub import live_hub

from .conftest import change_form_data, change_url

pytestmark = pytest.mark.django_db

INLINE = "related_contracts"
#: The only deletions the admin offers: a contract's bandwidth area (the ISP Platform art. 1 formset check
#: keeps the last one) and a draft abolition nothing depends on (docs/decisions.md).
DELETABLE = {BandwidthAreaInline, Abolition}


def _inline_row(data: dict, related: RelatedContract) -> str:
    """The prefix of ``related``'s row in the customer page's related-contract inline."""
    for key, value in data.items():
        if key.startswith(f"{INLINE}-") and key.endswith("-id") and str(value) == str(related.pk):
            return key.removesuffix("-id")
    raise AssertionError("row not in the inline")


def _post_customer_page(client, customer, edit):
    url = change_url(customer)
    data = change_form_data(client.get(url))
    edit(data)
    return client.post(url, data)


APPS = ("customers", "contracts")


def _inline_classes(base=InlineModelAdmin):
    for cls in base.__subclasses__():
        if cls.__module__.split(".")[0] in APPS:
            yield cls
        yield from _inline_classes(cls)


def test_no_admin_page_or_inline_deletes_what_the_rules_protect(rf, staff):
    request = rf.get("/")
    request.user = staff
    models = [model for label in APPS for model in apps.get_app_config(label).get_models()]
    for model in models:
        if admin.site.is_registered(model) and model not in DELETABLE:
            assert not admin.site.get_model_admin(model).has_delete_permission(request), model
    inlines = set(_inline_classes()) - DELETABLE
    assert len(inlines) >= 3  # related contracts, contracts of a customer, options of a contract
    for inline in inlines:
        assert not inline(inline.model, admin.site).has_delete_permission(request), inline


def test_the_customer_inline_cannot_delete_a_pbb_a_bypass_child_needs(staff_client):
    pbb = pbb_needed_by_bypass(second=False)

    def tick_delete(data):
        data[f"{_inline_row(data, pbb)}-DELETE"] = "on"

    response = _post_customer_page(staff_client, pbb.customer, tick_delete)
    assert response.status_code in (200, 302)
    assert RelatedContract.objects.filter(pk=pbb.pk).exists()
    assert not pbb.history.filter(history_type="-").exists()


def test_the_customer_inline_offers_no_delete_box(staff_client):
    pbb = pbb_needed_by_bypass(second=False)
    formset = next(
        inline.formset
        for inline in staff_client.get(change_url(pbb.customer)).context["inline_admin_formsets"]
        if inline.formset.prefix == INLINE
    )
    assert not formset.can_delete


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": RelatedKind.INTERNET_ACCESS, "closed_network": ""},
        {"started_on": "2025-06-01"},
        {"closed_network": "CN-OTHER"},
    ],
    ids=["kind", "formation-date", "closed-network"],
)
def test_the_customer_inline_keeps_the_pbb_of_a_live_smart_hub(staff_client, changes):
    hub = live_hub()
    pbb = hub.related_contract
    before = pbb.history.count()

    def edit(data):
        row = _inline_row(data, pbb)
        data.update({f"{row}-{name}": value for name, value in changes.items()})

    response = _post_customer_page(staff_client, hub.customer, edit)
    assert response.status_code == 200
    assert "(Smart HUB arts. 2, 3, 6 ¶2)" in response.content.decode()
    pbb.refresh_from_db()
    assert (pbb.kind, pbb.started_on, pbb.closed_network) == (RelatedKind.PBB, date(2020, 1, 1), hub.closed_network)
    assert pbb.history.count() == before


def test_the_related_contract_page_keeps_a_pbb_a_bypass_child_needs(staff_client):
    pbb = pbb_needed_by_bypass(second=False)
    url = change_url(pbb)
    data = change_form_data(staff_client.get(url))
    data["closed_network"] = "CN-OTHER"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "(Cloud Proxy art. 6 ¶2)" in response.content.decode()
    pbb.refresh_from_db()
    assert pbb.closed_network != "CN-OTHER"


def test_the_customer_inline_still_edits_the_reference_of_a_needed_pbb(staff_client):
    hub = live_hub()
    pbb = hub.related_contract

    def edit(data):
        data[f"{_inline_row(data, pbb)}-reference"] = "PBB-2025-001"

    response = _post_customer_page(staff_client, hub.customer, edit)
    assert response.status_code == 302
    pbb.refresh_from_db()
    assert pbb.reference == "PBB-2025-001"


@pytest.mark.parametrize(
    ("field", "value", "article"),
    [
        ("kind", CustomerKind.INDIVIDUAL, "(ISP Platform art. 4)"),
        ("status", CustomerStatus.CLOSED, "(back-office rule: closing a customer)"),
    ],
    ids=["individual-with-isp-platform", "closed-with-live-contracts"],
)
def test_the_customer_page_refuses_what_its_contracts_forbid(staff_client, field, value, article):
    customer = f.activate(f.contract(ServiceCode.ISP_PLATFORM)).customer
    before = customer.history.count()

    def edit(data):
        data[field] = value

    response = _post_customer_page(staff_client, customer, edit)
    assert response.status_code == 200
    assert article in response.content.decode()
    customer.refresh_from_db()
    assert (customer.kind, customer.status) == (CustomerKind.CORPORATE, CustomerStatus.ACTIVE)
    assert customer.history.count() == before


def test_the_customer_page_saves_an_unrelated_edit(staff_client):
    customer = f.activate(f.contract(ServiceCode.ISP_PLATFORM)).customer

    def edit(data):
        data["name"] = "新しい名前株式会社"

    assert _post_customer_page(staff_client, customer, edit).status_code == 302
    assert Customer.objects.get(pk=customer.pk).name == "新しい名前株式会社"
