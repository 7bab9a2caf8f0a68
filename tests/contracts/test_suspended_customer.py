"""A suspended customer (decision in docs/decisions.md): no application, acceptance, billing start or change of
its contracts and options until the suspension is lifted; notices, withdrawals and ends still go through."""

from datetime import date as D

import pytest

from contracts.choices import ServiceCode, Status, TerminationReason
from contracts.models import Contract, ContractOption
from contracts.services import changes, lifecycle
from customers.choices import CustomerStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

RULE = "(back-office rule: a suspended customer)"


def suspend(customer, status=CustomerStatus.SUSPENDED):
    customer.status = status
    customer.save()


def test_a_suspended_customer_applies_for_nothing_and_nothing_is_accepted_or_billed():
    applied = f.contract(ServiceCode.CXM2)
    accepted = f.contract(ServiceCode.CXM2, applied.customer)
    lifecycle.accept(accepted, on=D(2025, 1, 10))
    suspend(applied.customer)
    new = Contract(customer=applied.customer, service_id=ServiceCode.CXM2, item=applied.item, applied_on=D(2025, 2, 1))
    new.application_type, new.route, new.region = applied.application_type, applied.route, applied.region
    with f.refused(RULE):
        new.full_clean()
    with f.refused(RULE):
        lifecycle.accept(applied, on=D(2025, 1, 10))
    with f.refused(RULE):
        lifecycle.start_billing(accepted, on=D(2025, 1, 15))
    assert (applied.status, accepted.status) == (Status.APPLIED, Status.ACCEPTED)
    suspend(applied.customer, CustomerStatus.ACTIVE)
    with f.refused(None):
        lifecycle.accept(applied, on=D(2025, 1, 10))


def test_a_suspended_customers_live_contract_takes_no_change_nor_option_but_may_end():
    contract = f.activate(f.contract(ServiceCode.CXM2))
    suspend(contract.customer)
    with f.refused(RULE):
        changes.accept_change(contract, on=D(2025, 2, 1), route="office365")
    with f.refused(RULE):
        ContractOption(contract=contract, kind_id="cxm2.napt", applied_on=D(2025, 2, 1)).full_clean()
    assert not contract.changes.exists()
    with f.refused(None):
        lifecycle.register_notice(contract, received_on=D(2025, 2, 1))
        lifecycle.terminate(contract, on=D(2025, 3, 3), reason=TerminationReason.CUSTOMER_REQUEST)
    contract.refresh_from_db()
    assert contract.status == Status.TERMINATED
