"""Contracts' guards on rows it does not own, at model level (``full_clean``, as the import and services run it).

Findings of the review: a PBB that a live contract needs could be edited away from under it (Cloud
Proxy art. 6 ¶2, Smart HUB arts. 2, 3, 6 ¶2); a customer could become an individual while holding ISP
Platform (art. 4), or be closed while holding live contracts.
"""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contracts.choices import ServiceCode, Status
from contracts.services import lifecycle
from contracts.services.related import end_related_contract
from customers.choices import CustomerKind, CustomerStatus, RelatedKind
from tests import factories as f
from tests.rules.test_related_ends import pbb_needed_by_bypass
from tests.rules.test_smart_hub import live_hub

pytestmark = pytest.mark.django_db

CLOUD_PROXY_6_2 = "(Cloud Proxy art. 6 ¶2)"
SMART_HUB = "(Smart HUB arts. 2, 3, 6 ¶2)"
ISP_PLATFORM_4 = "(ISP Platform art. 4)"
CLOSING = "(back-office rule: closing a customer)"

EDITS = {
    "kind": {"kind": RelatedKind.INTERNET_ACCESS, "closed_network": ""},
    "formation date": {"started_on": D(2025, 6, 1)},
    "closed network": {"closed_network": "CN-OTHER"},
}


def _refusal(row) -> str:
    """The refusal of ``row.full_clean()``, read in English."""
    with translation.override("en"), pytest.raises(ValidationError) as err:
        row.full_clean()
    return " ".join(err.value.messages)


def _edited(row, **changes):
    for name, value in changes.items():
        setattr(row, name, value)
    return row


@pytest.mark.parametrize("changes", EDITS.values(), ids=EDITS.keys())
def test_a_pbb_that_a_bypass_child_needs_keeps_what_it_relies_on(changes):
    pbb = pbb_needed_by_bypass(second=False)
    with f.refused(CLOUD_PROXY_6_2):
        _edited(pbb, **changes).full_clean()


@pytest.mark.parametrize("changes", EDITS.values(), ids=EDITS.keys())
@pytest.mark.parametrize("second_pbb", [False, True], ids=["only-pbb", "with-another-pbb"])
def test_the_pbb_of_a_live_smart_hub_keeps_what_it_relies_on(changes, second_pbb):
    hub = live_hub()
    if second_pbb:
        f.related(hub.customer, RelatedKind.PBB)
    with f.refused(SMART_HUB):
        _edited(hub.related_contract, **changes).full_clean()


def test_the_refusal_names_the_contracts_and_the_way_out():
    hub = live_hub()
    refusal = _refusal(_edited(hub.related_contract, closed_network="CN-OTHER"))
    assert "Closed network id cannot change" in refusal
    assert "“End related contract” action" in refusal
    assert f"{hub.number} depend on it {SMART_HUB}" in refusal


def test_a_needed_related_contract_keeps_its_customer():
    hub = live_hub()
    with f.refused(SMART_HUB):
        _edited(hub.related_contract, customer=f.customer()).full_clean()


def test_its_reference_may_change_while_needed():
    hub = live_hub()
    with f.refused(None):
        _edited(hub.related_contract, reference="PBB-2025-001").full_clean()


def test_a_pbb_nothing_needs_may_change():
    pbb = pbb_needed_by_bypass(second=True)  # the other PBB serves the bypass child
    with f.refused(None):
        _edited(pbb, closed_network="CN-OTHER", started_on=D(2021, 1, 1)).full_clean()


def test_a_pbb_no_longer_needed_once_its_smart_hub_ended_may_change():
    hub = live_hub()
    lifecycle.register_notice(hub, received_on=D(2025, 3, 1))
    lifecycle.terminate(hub, on=D(2025, 5, 31))
    with f.refused(None):
        _edited(hub.related_contract, closed_network="CN-OTHER").full_clean()


def test_the_end_action_still_ends_the_pbb_and_its_smart_hub():
    hub = live_hub()
    end_related_contract(hub.related_contract, on=D(2025, 5, 31))
    hub.refresh_from_db()
    assert hub.status == Status.TERMINATED


def _isp_platform_customer():
    contract = f.activate(f.contract(ServiceCode.ISP_PLATFORM))
    return contract.customer, contract


def test_a_customer_holding_isp_platform_stays_corporate():
    customer, contract = _isp_platform_customer()
    customer.kind = CustomerKind.INDIVIDUAL
    expected = (
        f"{contract.number}: ISP Platform is available to corporate customers, and those recognised as equivalent"
    )
    assert expected in _refusal(customer) and ISP_PLATFORM_4 in _refusal(customer)


def test_an_individual_recognised_as_equivalent_to_a_corporation_holds_isp_platform_until_unrecognised():
    """ISP Platform art. 4 ¶1: 法人(法人に相当するものと当社が認めるものを含みます。)."""
    customer, contract = _isp_platform_customer()
    customer.kind, customer.corporate_equivalent = CustomerKind.INDIVIDUAL, "個人事業の法人成り準備中(2025-01 承認)"
    with f.refused(None):
        customer.full_clean()
    customer.save()
    with f.refused(None):
        contract.full_clean()
    customer.corporate_equivalent = ""
    assert ISP_PLATFORM_4 in _refusal(customer)


def test_only_a_customer_that_is_not_a_corporation_is_recognised_as_one():
    customer = f.customer()
    customer.corporate_equivalent = "x"
    with f.refused("ISP Platform art. 4 ¶1"):
        customer.full_clean()


def test_a_customer_without_isp_platform_may_become_an_individual():
    customer = f.activate(f.contract(ServiceCode.CXM2)).customer
    customer.kind = CustomerKind.INDIVIDUAL
    with f.refused(None):
        customer.full_clean()


def test_a_customer_is_not_closed_while_it_holds_live_contracts():
    customer, contract = _isp_platform_customer()
    customer.status = CustomerStatus.CLOSED
    with f.refused(CLOSING):
        customer.full_clean()


def test_a_customer_is_not_closed_while_an_application_is_pending():
    customer = f.contract(ServiceCode.CXM2).customer
    customer.status = CustomerStatus.CLOSED
    with f.refused(CLOSING):
        customer.full_clean()


def test_a_customer_whose_contracts_ended_may_be_closed():
    customer, contract = _isp_platform_customer()
    lifecycle.register_notice(contract, received_on=D(2025, 3, 1))
    lifecycle.terminate(contract, on=contract.effective_end_on)
    customer.status = CustomerStatus.CLOSED
    with f.refused(None):
        customer.full_clean()
