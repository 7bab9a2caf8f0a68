"""Managed Router art. 6 ¶1 (2): adding, changing or ending a paid option is a change of the contract and
carries annex 1 3.(1)'s change fee, once per change; the option's own fee frozen at its acceptance applies
(docs/decisions.md). An option applied for with the contract, or ended by us or with its contract, is not one.

Catalog figures: LL 30,000 yen initial, 15,000 yen a month; managed switch 10,000 yen initial, 8,000 yen a
month, 5,000 yen per change; multihome operation 10,000 / 10,000 / 5,000 yen.
"""

from datetime import date as D

import pytest

from billing.sources import FeeKind
from contracts.choices import ServiceCode, Status, TerminationReason
from contracts.models import ChangeKind, ContractChange
from contracts.services import changes, lifecycle
from tests import factories as f
from tests.billing.helpers import bill, ended, in_service, lines_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MR = ServiceCode.MANAGED_ROUTER
SWITCH, MULTIHOME = "managed_router.managed_switch", "managed_router.multihome"


@pytest.fixture
def router():
    """An LL contract accepted on 2025-01-10 and billed from 2025-01-15."""
    return in_service(MR, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))


def one_time(month) -> dict[str, int]:
    return lines_of(month, kind=FeeKind.ONE_TIME)


def test_a_paid_option_added_to_a_billed_contract_is_one_change_fee_on_the_months_invoice(router, staff):
    switch = f.option(router, SWITCH, applied_on=D(2025, 6, 2))
    f.activate(switch, accepted_on=D(2025, 6, 5), billing_on=D(2025, 6, 10), by=staff)

    change = ContractChange.objects.get(contract=router)
    assert (change.kind, change.option, change.accepted_on, change.fee) == (
        ChangeKind.OPTION,
        switch,
        D(2025, 6, 5),
        5_000,
    )
    assert (change.old_value, change.new_value, change.restarts_min_period) == ("", "Managed switch", False)
    assert change.history.get().history_user == staff
    june = bill(2025, 6)
    assert one_time(june) == {f"change:{change.pk}": 5_000}
    assert lines_of(june)[f"option:{switch.pk}:initial"] == 10_000
    assert lines_of(june)[f"option:{switch.pk}:monthly"] == 5_600  # 8,000 × 21/30
    # the option's own 1-year period runs from its billing start (art. 5 ¶2, ¶4); the contract's is untouched
    router.refresh_from_db()
    assert (switch.min_period_end_on, router.min_period_start_on) == (D(2026, 6, 9), D(2025, 1, 15))


def test_the_customers_stop_of_a_paid_option_is_one_change_fee_when_it_ends(router, staff, today):
    multihome = f.activate(f.option(router, MULTIHOME), by=staff)  # applied with the contract: no change
    assert not ContractChange.objects.exists()

    today(D(2025, 8, 5))
    lifecycle.register_notice(multihome, received_on=D(2025, 8, 1), by=staff)
    lifecycle.withdraw_notice(multihome, by=staff)  # withdrawn: nothing ended, nothing charged
    lifecycle.register_notice(multihome, received_on=D(2025, 8, 1), by=staff)
    assert not ContractChange.objects.exists()
    today(D(2025, 9, 1))
    lifecycle.terminate(multihome, on=D(2025, 8, 31), by=staff)

    change = ContractChange.objects.get(contract=router)
    assert (change.kind, change.option, change.accepted_on, change.fee) == (
        ChangeKind.OPTION,
        multihome,
        D(2025, 8, 31),
        5_000,
    )
    assert (change.old_value, change.new_value) == ("Multihome operation", "")
    assert one_time(bill(2025, 8)) == {f"change:{change.pk}": 5_000}


def test_a_change_of_an_option_stays_one_change_fee_and_restarts_its_year(router, staff):
    switch = f.activate(f.option(router, SWITCH), by=staff)
    [record] = changes.accept_change(switch, on=D(2025, 6, 10), by=staff, units=2)
    switch.refresh_from_db()
    assert (record.fee, switch.min_period_start_on) == (5_000, D(2025, 6, 10))  # art. 5 ¶4
    assert one_time(bill(2025, 6)) == {f"change:{record.pk}": 5_000}


@pytest.mark.parametrize(
    ("applied_on", "fee"),
    [(D(2025, 1, 6), None), (D(2025, 1, 10), None), (D(2025, 1, 11), 5_000)],
    ids=["with-the-application", "on-the-acceptance-day", "after-the-contract-was-formed"],
)
def test_an_option_applied_for_with_the_contract_is_no_change(staff, applied_on, fee):
    """The contract is formed when accepted (2025-01-10); an option applied for after that, even before the
    billing start, changes it (art. 6 ¶1 (2))."""
    router = f.contract(MR, applied_on=D(2025, 1, 6))
    lifecycle.accept(router, on=D(2025, 1, 10), by=staff)
    switch = f.option(router, SWITCH, applied_on=applied_on)
    lifecycle.accept(switch, on=D(2025, 1, 12), by=staff)
    assert list(ContractChange.objects.values_list("fee", flat=True)) == ([] if fee is None else [fee])


@pytest.mark.parametrize(
    "how",
    ["with-its-contract", TerminationReason.GT_ART28_2, TerminationReason.GT_ART28_3],
)
def test_an_option_ended_by_us_or_with_its_contract_is_no_change(router, staff, how):
    multihome = f.activate(f.option(router, MULTIHOME), by=staff)
    if how == "with-its-contract":
        ended(router, on=D(2025, 8, 31))
    else:
        lifecycle.terminate(multihome, on=D(2025, 8, 31), reason=how, by=staff)
    multihome.refresh_from_db()
    assert multihome.status == Status.TERMINATED
    assert not ContractChange.objects.exists()


def test_other_services_options_carry_no_change_fee_when_added_or_stopped(staff):
    """Only the Managed Router annex prices adding or ending an option (別紙1 3.(1))."""
    cxm2 = in_service(ServiceCode.CXM2, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    napt = f.activate(
        f.option(cxm2, "cxm2.napt", applied_on=D(2025, 3, 1)),
        accepted_on=D(2025, 3, 2),
        billing_on=D(2025, 3, 5),
        by=staff,
    )
    ended(napt, on=D(2025, 6, 30))
    assert not ContractChange.objects.exists()
