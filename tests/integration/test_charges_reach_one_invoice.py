"""Charges from every app reach exactly one invoice through billing's run: an SLA credit, an equipment
charge and a router rental cancellation fee, each billed in its month, marked invoiced at closing, and
never billed again the month after."""

from datetime import date, timedelta

import pytest

from backoffice.months import Month
from billing.models import InvoiceLine
from billing.sources import FeeKind
from contracts.choices import TerminationReason
from contracts.services import lifecycle
from equipment.billing_source import cancellation_fees
from equipment.choices import ChargeState, IncidentKind
from equipment.services import charges, incidents
from sla.models import CreditStatus
from sla.services import claims, outages
from tests.billing.helpers import bill, bill_and_close
from tests.equipment import factories as ef
from tests.equipment.conftest import staff_of
from tests.sla.builders import at, claim, live, outage

pytestmark = pytest.mark.django_db

D = date


def lines(key: str) -> list[tuple[str, int]]:
    """``(billing month, amount)`` of every line billed under ``key``."""
    return [
        (f"{line.month.month:%Y-%m}", line.amount)
        for line in InvoiceLine.objects.filter(source_key=key).select_related("month")
    ]


def test_a_granted_sla_credit_is_a_negative_line_on_one_invoice(django_capture_on_commit_callbacks):
    contract = live()  # base monthly fee 90,000 yen
    row = outage(at(2025, 3, 3, 10), timedelta(hours=13))  # over 12 h up to 24 h: 1/10
    outages.affect(row, [contract], by=None)
    credit = claims.decide(claim(row, contract, D(2025, 3, 20)), on=D(2025, 3, 20), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        bill_and_close(2025, 3)
    bill(2025, 4)
    assert lines(credit.source_key) == [("2025-03", -9_000)]
    line = InvoiceLine.objects.get(source_key=credit.source_key)
    assert (line.kind, line.invoice.customer_id) == (FeeKind.CREDIT, contract.customer_id)
    credit.refresh_from_db()
    assert (credit.status, credit.invoice_number) == (CreditStatus.INVOICED, str(line.invoice.number))


def test_an_approved_equipment_charge_is_billed_once(django_user_model, django_capture_on_commit_callbacks):
    logistics, approver = staff_of(django_user_model, "logistics", "l"), staff_of(django_user_model, "approver", "a")
    contract = ef.router_contract()
    lost = ef.installed(ef.unit(), contract=contract, by=logistics)
    incident = incidents.report_loss_or_damage(lost, IncidentKind.LOSS, on=D(2025, 3, 1), by=logistics)
    charge = charges.assess(incident, on=D(2025, 3, 3), by=logistics)
    charges.approve(charge, on=D(2025, 3, 5), by=approver)
    with django_capture_on_commit_callbacks(execute=True):
        bill_and_close(2025, 3)
    bill(2025, 4)
    assert lines(f"equipment.charge:{charge.pk}") == [("2025-03", 80_000)]
    charge.refresh_from_db()
    assert charge.status == ChargeState.INVOICED


def test_a_router_rental_cancellation_fee_is_billed_once_by_equipments_source(django_capture_on_commit_callbacks):
    option = ef.rental_option(units_count=2)  # 5,000 yen per unit to cancel
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.register_notice(option, received_on=D(2025, 3, 1), requested_on=D(2025, 3, 31))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(option, on=D(2025, 3, 31), reason=TerminationReason.CUSTOMER_REQUEST)
    [fee] = cancellation_fees(Month(2025, 3))
    with django_capture_on_commit_callbacks(execute=True):
        march = bill_and_close(2025, 3)
    bill(2025, 4)
    assert lines(fee.source_key) == [("2025-03", 10_000)]
    one_time = InvoiceLine.objects.filter(month=march, contract_id=option.contract_id, kind=FeeKind.ONE_TIME)
    assert list(one_time.values_list("source_key", flat=True)) == [fee.source_key]  # not charged twice
