"""A unit's lifecycle (SPEC §7): every move an event, impossible moves refused, holders checked."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.sources import FeeKind
from contracts.choices import ServiceCode
from contracts.models import ContractChange
from contracts.services import lifecycle
from equipment.choices import TRANSITIONS, Cause, IncidentKind, Resolution, UnitState
from equipment.models import Unit, UnitEvent
from equipment.services import incidents, units
from tests import factories as f
from tests.billing.helpers import bill, lines_of

from . import factories as ef
from .conftest import installed

pytestmark = pytest.mark.django_db
D = date
S = UnitState


def test_a_unit_goes_round_from_stock_to_a_customer_and_back(make_unit, router_contract, logistics):
    unit = make_unit(by=logistics)
    units.assign(unit, on=D(2025, 1, 16), by=logistics, contract=router_contract)
    units.ship(unit, on=D(2025, 1, 17), by=logistics, carrier="Sagawa", tracking_number="4455")
    units.install(unit, on=D(2025, 1, 20), by=logistics)
    units.request_return(unit, on=D(2025, 6, 1), deadline=D(2025, 7, 1), by=logistics)
    units.receive_return(unit, on=D(2025, 6, 20), by=logistics, carrier="Sagawa", tracking_number="9988")
    assert (unit.status, unit.contract, unit.return_deadline) == (S.RETURNED, None, None)
    units.refurbish(unit, on=D(2025, 6, 25), by=logistics)
    units.restock(unit, on=D(2025, 6, 26), by=logistics)

    events = list(unit.events.order_by("on", "pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", S.IN_STOCK),
        (S.IN_STOCK, S.ASSIGNED),
        (S.ASSIGNED, S.SHIPPED),
        (S.SHIPPED, S.INSTALLED),
        (S.INSTALLED, S.RETURN_REQUESTED),
        (S.RETURN_REQUESTED, S.RETURNED),
        (S.RETURNED, S.REFURBISHED),
        (S.REFURBISHED, S.IN_STOCK),
    ]
    assert all(e.by == logistics for e in events)
    assert events[2].tracking_number == "4455"
    assert events[5].contract == router_contract  # the return names the contract it came from
    assert unit.history.count() == 8  # received + 7 moves, each with the staff user
    assert not unit.history.exclude(history_user=logistics).exists()


def test_every_move_the_table_does_not_allow_is_refused(make_unit, english):
    unit = make_unit()
    for state in S.values:
        if state in TRANSITIONS[S.IN_STOCK]:
            continue
        with pytest.raises(ValidationError, match="cannot move from"):
            units.step(unit, state, on=D(2025, 2, 1))
    unit.refresh_from_db()
    assert unit.status == S.IN_STOCK
    assert unit.events.count() == 1
    units.dispose(unit, on=D(2025, 2, 1))
    assert TRANSITIONS[S.DISPOSED] == frozenset()


def test_a_move_cannot_be_dated_before_the_last_one_or_in_the_future(make_unit, router_contract, english):
    unit = make_unit(on=D(2025, 2, 1))
    with pytest.raises(ValidationError, match="before its last move"):
        units.assign(unit, on=D(2025, 1, 31), contract=router_contract)
    with pytest.raises(ValidationError, match="future"):
        units.assign(unit, on=D(2099, 1, 1), contract=router_contract)


def test_a_unit_acquired_in_the_future_is_not_received(unit_model, today, english):
    today(D(2025, 3, 1))
    with pytest.raises(ValidationError, match="not in the future") as refused:
        ef.unit(unit_model, on=D(2025, 3, 2))
    assert "acquired_on" in refused.value.message_dict
    assert not Unit.objects.exists()
    assert ef.unit(unit_model, on=D(2025, 3, 1)).acquired_on == D(2025, 3, 1)


def test_units_go_to_managed_router_contracts_and_router_rental_options_only(make_unit, english):
    other = f.activate(f.contract(ServiceCode.CXM2))
    unit = make_unit()
    with pytest.raises(ValidationError, match="Managed Router art. 3"):
        units.assign(unit, on=D(2025, 2, 1), contract=other)
    ended = f.contract(ServiceCode.MANAGED_ROUTER)  # applied, not live
    with pytest.raises(ValidationError, match="Managed Router art. 3"):
        units.assign(unit, on=D(2025, 2, 1), contract=ended)
    with pytest.raises(ValidationError, match="one Managed Router contract or one router rental option"):
        units.assign(unit, on=D(2025, 2, 1))
    unit.refresh_from_db()
    assert unit.status == S.IN_STOCK


def test_a_router_rental_option_holds_no_more_units_than_it_rents(make_unit, rental_option, english):
    first, second, third = make_unit(), make_unit(), make_unit()
    units.assign(first, on=D(2025, 2, 1), option=rental_option)
    units.assign(second, on=D(2025, 2, 1), option=rental_option)
    with pytest.raises(ValidationError, match="rents 2 units and holds them all"):
        units.assign(third, on=D(2025, 2, 1), option=rental_option)
    units.unassign(second, on=D(2025, 2, 2))  # a place is free again
    units.assign(third, on=D(2025, 2, 2), option=rental_option)


def test_the_database_refuses_a_unit_out_of_stock_without_a_holder(make_unit):
    unit = make_unit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(status=S.INSTALLED)


def test_the_first_install_is_the_contracts_equipment_a_later_one_an_equipment_change(
    make_unit, router_contract, logistics
):
    """Managed Router art. 5 ¶3, 6 ¶1 (1): adding or swapping equipment restarts the 1-year minimum period."""
    assert router_contract.min_period_end_on == D(2026, 1, 14)
    installed(make_unit(), contract=router_contract, by=logistics, on=D(2025, 1, 20))
    router_contract.refresh_from_db()
    assert not ContractChange.objects.filter(contract=router_contract).exists()
    assert router_contract.min_period_end_on == D(2026, 1, 14)

    installed(make_unit(), contract=router_contract, by=logistics, on=D(2025, 6, 10))
    router_contract.refresh_from_db()
    change = ContractChange.objects.get(contract=router_contract)
    assert (change.kind, change.accepted_on, change.fee, change.restarts_min_period) == (
        "equipment",
        D(2025, 6, 10),
        router_contract.change_fee,
        True,
    )
    assert (router_contract.min_period_start_on, router_contract.min_period_end_on) == (D(2025, 6, 10), D(2026, 6, 9))


def test_a_router_and_a_switch_delivered_before_the_billing_start_carry_no_change_fee(make_unit, logistics):
    """Art. 3: the equipment installed before billing starts is the delivery we owe, not a change (art. 6
    ¶1 (1)): no 10,000 yen change fee (annex 1 3.(1)), and the 1-year period starts at billing (art. 5 ¶1)."""
    contract = f.contract(ServiceCode.MANAGED_ROUTER, applied_on=D(2025, 1, 6))
    lifecycle.accept(contract, on=D(2025, 1, 10), by=logistics)
    installed(make_unit(), contract=contract, by=logistics, on=D(2025, 1, 12))  # the router
    installed(make_unit(), contract=contract, by=logistics, on=D(2025, 1, 13))  # the switch, the next day
    lifecycle.start_billing(contract, on=D(2025, 1, 15), by=logistics)
    contract.refresh_from_db()
    assert not ContractChange.objects.filter(contract=contract).exists()
    assert (contract.min_period_start_on, contract.min_period_end_on) == (D(2025, 1, 15), D(2026, 1, 14))
    january = bill(2025, 1)
    assert lines_of(january, kind=FeeKind.ONE_TIME) == {}
    assert lines_of(january) == {f"contract:{contract.pk}:initial": 30_000, f"contract:{contract.pk}:monthly": 8_225}


def test_the_units_of_the_first_installation_are_the_delivery_even_after_the_billing_start(make_unit, router_contract):
    """A router and a switch installed together, the contract's first installation, are what art. 3 owes."""
    installed(make_unit(), contract=router_contract, on=D(2025, 1, 20))
    installed(make_unit(), contract=router_contract, on=D(2025, 1, 20))
    router_contract.refresh_from_db()
    assert not ContractChange.objects.filter(contract=router_contract).exists()
    assert router_contract.min_period_start_on == D(2025, 1, 15)


def test_an_equipment_change_after_the_billing_start_is_charged_on_the_months_invoice(make_unit, router_contract):
    """Art. 6 ¶1 (1), annex 1 3.(1): a unit added at the customer's request after delivery, 10,000 yen, once."""
    installed(make_unit(), contract=router_contract, on=D(2025, 1, 20))
    installed(make_unit(), contract=router_contract, on=D(2025, 6, 10))
    change = ContractChange.objects.get(contract=router_contract)
    assert lines_of(bill(2025, 6), kind=FeeKind.ONE_TIME) == {f"change:{change.pk}": 10_000}


def _replaced_after(kind: str, unit: Unit, spare: Unit, on: date) -> None:
    if kind == "failure":
        incident = incidents.report_failure(unit, on=on)
        incidents.start_investigation(incident, on=on)
        incidents.resolve_failure(
            incident, cause=Cause.OUR_FAULT, resolution=Resolution.REPLACED, on=on, replacement=spare
        )
    else:
        incident = incidents.report_loss_or_damage(unit, kind, on=on)
        incidents.ship_replacement(incident, spare, on=on)
    units.install(spare, on=on)


@pytest.mark.parametrize("kind", ["failure", IncidentKind.LOSS, IncidentKind.DAMAGE])
def test_a_replacement_is_no_equipment_change_and_keeps_the_minimum_period(make_unit, router_contract, kind):
    """Art. 5 ¶3 restarts the period for a change under art. 6 ¶1 (the customer's request); a unit swapped
    under art. 8 (failure, here our own fault) or art. 9 (loss or damage) is not one: no fee, no restart."""
    unit = installed(make_unit(), contract=router_contract, on=D(2025, 1, 20))
    _replaced_after(kind, unit, make_unit(), D(2025, 6, 10))
    router_contract.refresh_from_db()
    assert not ContractChange.objects.filter(contract=router_contract).exists()
    assert (router_contract.min_period_start_on, router_contract.min_period_end_on) == (
        D(2025, 1, 15),
        D(2026, 1, 14),
    )


def test_a_former_replacement_installed_again_later_on_request_is_an_equipment_change(make_unit, router_contract):
    unit, spare = installed(make_unit(), contract=router_contract), make_unit()
    _replaced_after(IncidentKind.LOSS, unit, spare, D(2025, 3, 1))
    units.request_return(spare, on=D(2025, 4, 1), deadline=D(2025, 5, 1))
    units.receive_return(spare, on=D(2025, 4, 2))
    units.refurbish(spare, on=D(2025, 4, 3))
    units.restock(spare, on=D(2025, 4, 4))
    installed(spare, contract=router_contract, on=D(2025, 6, 10))
    assert ContractChange.objects.get(contract=router_contract).restarts_min_period


def test_the_install_form_may_set_the_change_fee(make_unit, router_contract):
    installed(make_unit(), contract=router_contract)
    unit = make_unit()
    units.assign(unit, on=D(2025, 3, 1), contract=router_contract)
    units.ship(unit, on=D(2025, 3, 1))
    units.install(unit, on=D(2025, 3, 2), change_fee=0)
    assert ContractChange.objects.get(contract=router_contract).fee == 0


def test_a_router_rental_install_records_no_managed_router_change(make_unit, rental_option):
    installed(make_unit(), option=rental_option)
    installed(make_unit(), option=rental_option)
    assert not ContractChange.objects.exists()
    assert UnitEvent.objects.filter(option=rental_option, to_status=S.INSTALLED).count() == 2
