"""Failure, loss and damage: the incident paths end to end, the charge assessed from the price list,
approved by another person with the approver role, handed to billing once (Managed Router arts. 8, 9)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from backoffice.months import Month
from billing import sources
from billing.models import InvoiceLine
from billing.signals import charges_invoiced
from billing.sources import FeeKind
from contracts.choices import TerminationReason
from contracts.services import lifecycle
from equipment import queries
from equipment.billing_source import approved_charges, cancellation_fees
from equipment.choices import Cause, ChargeKind, ChargeState, IncidentKind, Resolution, UnitState
from equipment.models import Charge, Incident
from equipment.services import charges, incidents, units
from tests.billing.helpers import bill_and_close

from . import factories as ef
from .conftest import installed

pytestmark = pytest.mark.django_db
D = date
S = UnitState


def _failure(make_unit, contract, cause, resolution=Resolution.REPAIRED, replacement=None):
    unit = installed(make_unit(), contract=contract)
    incident = incidents.report_failure(unit, on=D(2025, 2, 1), note="no link")
    incidents.start_investigation(incident, on=D(2025, 2, 2))
    incidents.resolve_failure(incident, cause=cause, resolution=resolution, on=D(2025, 2, 3), replacement=replacement)
    return incident


@pytest.mark.parametrize("cause", [Cause.CUSTOMER_FAULT, Cause.NO_FAILURE])
def test_a_failure_the_customer_caused_or_that_was_not_found_costs_the_failure_handling_charge(
    make_unit, router_contract, logistics, cause
):
    incident = _failure(make_unit, router_contract, cause, Resolution.NO_ACTION)
    assert incident.unit.status == S.INSTALLED
    charge = charges.assess(incident, on=D(2025, 2, 4), by=logistics)
    assert (charge.kind, charge.amount, charge.list_amount) == (ChargeKind.FAILURE_HANDLING, 15_000, 15_000)


@pytest.mark.parametrize("cause", [Cause.OUR_FAULT, Cause.MINOR])
def test_a_failure_of_ours_or_a_minor_one_is_never_charged(make_unit, router_contract, logistics, cause, english):
    resolution = Resolution.NO_ACTION if cause == Cause.MINOR else Resolution.REPAIRED
    incident = _failure(make_unit, router_contract, cause, resolution)
    with pytest.raises(ValidationError, match=r"annex 1 3\.\(5\)"):
        charges.assess(incident, on=D(2025, 2, 4), by=logistics, amount=1_000, reason="try")
    assert not Charge.objects.exists()


def test_a_minor_failure_is_not_repaired_by_us(make_unit, router_contract, english):
    with pytest.raises(ValidationError, match="Managed Router art. 8"):
        _failure(make_unit, router_contract, Cause.MINOR, Resolution.REPAIRED)


def test_a_failed_unit_swapped_comes_back_without_delay_and_the_swap_keeps_the_minimum_period(
    make_unit, router_contract, settings
):
    settings.EQUIPMENT_ISP_RETURN_DAYS = 14
    spare = make_unit()
    incident = _failure(make_unit, router_contract, Cause.OUR_FAULT, Resolution.REPLACED, replacement=spare)
    failed = incident.unit
    failed.refresh_from_db()
    spare.refresh_from_db()
    assert (failed.status, failed.return_deadline) == (S.RETURN_REQUESTED, D(2025, 2, 17))
    assert (spare.status, spare.contract, incident.replacement) == (S.SHIPPED, router_contract, spare)
    units.install(spare, on=D(2025, 2, 5))
    router_contract.refresh_from_db()
    assert router_contract.min_period_start_on == D(2025, 1, 15)  # art. 8 is no change under art. 6 ¶1 (art. 5 ¶3)


def test_loss_path_report_replacement_assessment_approval_then_billing(
    make_unit, router_contract, logistics, approver, django_capture_on_commit_callbacks, english
):
    lost = installed(make_unit(), contract=router_contract, by=logistics)
    incident = incidents.report_loss_or_damage(lost, IncidentKind.LOSS, on=D(2025, 3, 1), by=logistics)
    lost.refresh_from_db()
    assert lost.status == S.LOST
    spare = make_unit()
    incidents.ship_replacement(incident, spare, on=D(2025, 3, 2), by=logistics, carrier="Yamato", tracking_number="77")
    spare.refresh_from_db()
    assert (spare.status, spare.contract) == (S.SHIPPED, router_contract)

    charge = charges.assess(incident, on=D(2025, 3, 3), by=logistics)
    assert (charge.kind, charge.amount, charge.status) == (ChargeKind.LOSS, 80_000, ChargeState.ASSESSED)
    assert list(approved_charges(Month(2025, 3))) == []  # not before approval

    charges.approve(charge, on=D(2025, 3, 5), by=approver, note="ok")
    assert (charge.status, charge.decided_by) == (ChargeState.APPROVED, approver)
    assert list(approved_charges(Month(2025, 2))) == []  # approved after February
    [line] = approved_charges(Month(2025, 3))
    assert (line.source_key, line.kind, line.amount, line.customer_id, line.contract_id, line.occurred_on) == (
        f"equipment.charge:{charge.pk}",
        FeeKind.ONE_TIME,
        80_000,
        router_contract.customer_id,
        router_contract.pk,
        D(2025, 3, 5),
    )
    assert sources.registered()["equipment.charges"] is approved_charges

    with django_capture_on_commit_callbacks(execute=True):
        charges_invoiced.send(sender=Month, lines={line.source_key: ("INV-2025-03-0001", D(2025, 4, 1))})
    charge.refresh_from_db()
    assert (charge.status, charge.invoice_number, charge.invoiced_on) == (
        ChargeState.INVOICED,
        "INV-2025-03-0001",
        D(2025, 4, 1),
    )
    assert list(approved_charges(Month(2025, 4))) == []  # invoiced once
    assert charge.history.latest().history_change_reason == "Invoiced: INV-2025-03-0001"


def test_damage_is_charged_whatever_the_cause_with_an_overridden_amount_and_its_reason(
    make_unit, router_contract, logistics, english
):
    unit = installed(make_unit(), contract=router_contract)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.DAMAGE, on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="needs a reason"):
        charges.assess(incident, on=D(2025, 3, 2), by=logistics, amount=30_000)
    charge = charges.assess(incident, on=D(2025, 3, 2), by=logistics, amount=30_000, reason="case only scratched")
    assert (charge.kind, charge.list_amount, charge.amount) == (ChargeKind.DAMAGE, 40_000, 30_000)


def test_one_incident_one_charge_in_the_service_and_in_the_database(make_unit, router_contract, logistics, english):
    unit = installed(make_unit(), contract=router_contract)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.LOSS, on=D(2025, 3, 1))
    charge = charges.assess(incident, on=D(2025, 3, 2), by=logistics)
    with pytest.raises(ValidationError, match="one incident, one charge"):
        charges.assess(incident, on=D(2025, 3, 2), by=logistics)
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(
            incident=incident, kind=ChargeKind.LOSS, amount=1, override_reason="x", assessed_on=D(2025, 3, 2),
            assessed_by=charge.assessed_by,
        )  # fmt: skip


def _assessed(make_unit, contract, assessor):
    unit = installed(make_unit(), contract=contract)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.LOSS, on=D(2025, 3, 1))
    return charges.assess(incident, on=D(2025, 3, 2), by=assessor)


def test_the_assessor_cannot_approve_nor_can_someone_without_the_approver_role(
    make_unit, router_contract, approver, logistics, english
):
    charge = _assessed(make_unit, router_contract, approver)  # an approver who assessed
    with pytest.raises(ValidationError, match="assessed a charge cannot approve"):
        charges.approve(charge, on=D(2025, 3, 3), by=approver)
    with pytest.raises(ValidationError, match="Only an approver"):
        charges.approve(charge, on=D(2025, 3, 3), by=logistics)
    charge.refresh_from_db()
    assert charge.status == ChargeState.ASSESSED


def test_the_database_refuses_an_approval_by_the_assessor(make_unit, router_contract, logistics):
    charge = _assessed(make_unit, router_contract, logistics)
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.filter(pk=charge.pk).update(
            status=ChargeState.APPROVED, decided_by=logistics, decided_on=D(2025, 3, 3)
        )


def test_a_second_approval_is_refused_and_a_rejected_charge_stays_rejected(
    make_unit, router_contract, logistics, approver, second_approver, english
):
    charge = _assessed(make_unit, router_contract, logistics)
    charges.approve(charge, on=D(2025, 3, 3), by=approver)
    with pytest.raises(ValidationError, match=r"already decided: Approved, not yet invoiced on .+ by appr\. A charge"):
        charges.approve(charge, on=D(2025, 3, 4), by=second_approver)
    charge.refresh_from_db()
    assert (charge.decided_by, charge.decided_on) == (approver, D(2025, 3, 3))

    other = _assessed(make_unit, router_contract, logistics)
    charges.reject(other, on=D(2025, 3, 3), by=approver, note="customer returned it at once")
    with pytest.raises(ValidationError, match="already decided: Rejected on"):
        charges.approve(other, on=D(2025, 3, 4), by=second_approver)
    assert list(approved_charges(Month(2025, 3))) != []
    assert {line.source_key for line in approved_charges(Month(2025, 3))} == {charge.source_key}


@pytest.mark.parametrize("note", ["", "  "])
def test_a_charge_is_rejected_with_its_reason(make_unit, router_contract, logistics, approver, english, note):
    charge = _assessed(make_unit, router_contract, logistics)
    with pytest.raises(ValidationError, match=r"rejected with its reason.*Managed Router art\. 9"):
        charges.reject(charge, on=D(2025, 3, 3), by=approver, note=note)
    charge.refresh_from_db()
    assert charge.status == ChargeState.ASSESSED
    assert charges.reject(charge, on=D(2025, 3, 3), by=approver, note="returned the next day").status == "rejected"


def test_a_found_unit_keeps_its_charge(make_unit, router_contract, logistics, approver):
    """Managed Router art. 9: a lost unit found later; the charge is not refunded."""
    charge = _assessed(make_unit, router_contract, logistics)
    charges.approve(charge, on=D(2025, 3, 3), by=approver)
    unit = charge.incident.unit
    units.mark_found(unit, on=D(2025, 4, 1), by=logistics, note="in the customer's server room")
    unit.refresh_from_db()
    charge.refresh_from_db()
    assert (unit.found, unit.status, charge.status, charge.amount) == (True, S.LOST, ChargeState.APPROVED, 80_000)
    units.receive_return(unit, on=D(2025, 4, 5))
    charge.refresh_from_db()
    assert charge.status == ChargeState.APPROVED
    assert [line.amount for line in approved_charges(Month(2025, 4))] == [80_000]


def test_a_unit_unreturned_after_its_contract_ended_is_charged_as_lost(make_unit, router_contract, logistics):
    """Managed Router art. 9 ¶2: a unit not returned within art. 7 ¶3's 30 days is deemed lost."""
    unit = installed(make_unit(), contract=router_contract)
    lifecycle.terminate(router_contract, on=D(2025, 5, 31), reason=TerminationReason.GT_ART28_2)
    units.request_return(unit, on=D(2025, 5, 31), deadline=D(2025, 6, 30))
    incident = incidents.flag_overdue(unit, today=D(2025, 7, 1))
    assert charges.assess(incident, on=D(2025, 7, 1), by=logistics).kind == ChargeKind.LOSS


def test_router_rental_losses_are_charged_per_unit_and_failures_never(
    make_unit, rental_option, logistics, approver, english
):
    unit = installed(make_unit(), option=rental_option)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.LOSS, on=D(2025, 3, 1))
    charge = charges.assess(incident, on=D(2025, 3, 2), by=logistics)
    charges.approve(charge, on=D(2025, 3, 3), by=approver)
    [line] = approved_charges(Month(2025, 3))
    assert (line.contract_id, line.service_code) == (rental_option.contract_id, "isp_platform")

    other = installed(make_unit(), option=rental_option)
    failure = incidents.report_failure(other, on=D(2025, 3, 1))
    incidents.start_investigation(failure, on=D(2025, 3, 1))
    incidents.resolve_failure(failure, cause=Cause.CUSTOMER_FAULT, resolution=Resolution.REPAIRED, on=D(2025, 3, 2))
    with pytest.raises(ValidationError, match="ISP Platform"):
        charges.assess(failure, on=D(2025, 3, 2), by=logistics, amount=1, reason="x")


def test_a_damaged_rented_isp_router_is_not_charged_and_waits_for_no_assessment(
    make_unit, rental_option, logistics, english
):
    """ISP Platform art. 7 ¶6 and 別紙1 §3 (2) provide a loss charge (亡失負担金) per unit, and nothing for damage."""
    unit = installed(make_unit(), option=rental_option)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.DAMAGE, on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match=r"ISP Platform art. 7 ¶6, annex 1 §3 \(2\)"):
        charges.assess(incident, on=D(2025, 3, 2), by=logistics)
    assert not Charge.objects.exists()
    assert incident not in queries.to_assess()
    managed = incidents.report_loss_or_damage(
        installed(make_unit(), contract=ef.router_contract()), IncidentKind.DAMAGE, on=D(2025, 3, 1)
    )
    assert list(queries.to_assess()) == [managed]  # Managed Router art. 9 charges damage


def test_cancellation_fees_come_from_the_customers_stop_and_are_marked_invoiced(
    rental_option, django_capture_on_commit_callbacks
):
    lifecycle.register_notice(rental_option, received_on=D(2025, 3, 1))
    lifecycle.terminate(rental_option, on=D(2025, 3, 31))  # no receiver heard it: the fee is still owed
    assert list(cancellation_fees(Month(2025, 2))) == []
    [line] = cancellation_fees(Month(2025, 3))
    key = f"equipment.rental_stop:{rental_option.pk}"
    assert (line.source_key, line.amount, line.quantity, line.unit_price) == (key, 10_000, 2, 5_000)
    with django_capture_on_commit_callbacks(execute=True):
        bill_and_close(2025, 3)
    invoice = InvoiceLine.objects.get(source_key=key).invoice
    assert (invoice.number is not None, invoice.issued_on) == (True, D(2025, 3, 31))
    assert list(cancellation_fees(Month(2025, 4))) == []  # invoiced: not offered again


def test_no_cancellation_fee_when_the_option_ends_with_its_contract_or_on_the_providers_side(rental_option):
    """ISP Platform annex 1 §3 (3) charges the fee for a stop under art. 7 ¶9 (the customer's notice) only."""
    other = ef.rental_option()
    lifecycle.terminate(rental_option, on=D(2025, 3, 31), reason=TerminationReason.GT_ART28_2)
    lifecycle.register_notice(other.contract, received_on=D(2025, 2, 1))
    lifecycle.terminate(other.contract, on=D(2025, 3, 31))
    assert list(cancellation_fees(Month(2025, 4))) == []


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_make_exactly_one_approval(
    on_postgres, make_unit, router_contract, logistics, approver, second_approver
):
    charge = _assessed(make_unit, router_contract, logistics)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            charges.approve(Charge.objects.get(pk=charge.pk), on=D(2025, 3, 3), by=user)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (approver, second_approver)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    charge.refresh_from_db()
    assert charge.status == ChargeState.APPROVED
    assert charge.history.filter(status=ChargeState.APPROVED).count() == 1


def test_incidents_record_where_the_unit_was(make_unit, rental_option):
    unit = installed(make_unit(), option=rental_option)
    incident = incidents.report_failure(unit, on=D(2025, 3, 1))
    assert (incident.option, incident.contract, incident.holder) == (rental_option, None, rental_option)
    assert Incident.objects.count() == 1
