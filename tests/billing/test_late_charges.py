"""Nothing owed is lost: a row recorded after its month was closed is billed in the next open month, once,
saying which month it is for; what a closed month over-charged is given back naming the original invoice."""

from datetime import date as D
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from billing.models import BillingMonth, InvoiceLine
from billing.prices import agree_price
from billing.pricing import prorate
from billing.run import billing_month, plan, run_month
from billing.settlement import settlement_for
from billing.sources import FeeKind
from contracts.choices import ServiceCode, TerminationReason
from contracts.models import ChangeKind, ContractChange, OneTimeFee, OneTimeFeeKind
from contracts.services import lifecycle
from equipment.choices import IncidentKind
from equipment.services import charges, incidents
from sla.services import claims, outages
from tests import factories as f
from tests.equipment import factories as ef
from tests.equipment.conftest import staff_of
from tests.sla.builders import at, claim, live, outage

from .helpers import bill, bill_and_close, ended, in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def late_lines(month) -> dict[str, tuple[int, str]]:
    """``{key: (amount, description)}`` of the month's lines."""
    return {line.source_key: (line.amount, line.description) for line in InvoiceLine.objects.filter(month=month)}


def test_the_issue_example_a_managed_router_entered_after_september_closed():
    """Accepted on 9/5 and billed from 9/10, entered after September was closed: October bills the initial
    fee and 21 days of September besides October's fee."""
    anyone = in_service(accepted_on=D(2025, 8, 1), billing_on=D(2025, 8, 1))
    bill_and_close(2025, 9)
    router = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2025, 9, 5), billing_on=D(2025, 9, 10))
    october = bill(2025, 10)
    lines = late_lines(october)
    fee = router.monthly_fee
    assert lines[f"contract:{router.pk}:initial"][0] == router.initial_fee
    assert lines[f"contract:{router.pk}:monthly:2025-09"][0] == prorate(fee, D(2025, 9, 10), D(2025, 9, 30))
    assert lines[f"contract:{router.pk}:monthly:2025-10"][0] == fee
    assert "2025年9月分" in lines[f"contract:{router.pk}:monthly:2025-09"][1]  # the invoice's language
    assert "09/10〜09/30" in lines[f"contract:{router.pk}:monthly:2025-09"][1]
    assert f"contract:{anyone.pk}:monthly:2025-09" not in lines  # issued in September already
    run_month(october)
    assert late_lines(october) == lines  # a second run adds nothing


def test_a_billing_start_recorded_late_bills_the_missed_days():
    c = f.contract(ServiceCode.CXM2, applied_on=D(2025, 1, 5))
    lifecycle.accept(c, on=D(2025, 1, 6))
    january = bill_and_close(2025, 1)  # the initial fee only
    lifecycle.start_billing(c, on=D(2025, 1, 22))
    c.refresh_from_db()
    february = bill(2025, 2)
    lines = late_lines(february)
    assert lines[f"contract:{c.pk}:monthly:2025-01"][0] == prorate(c.monthly_fee, D(2025, 1, 22), D(2025, 1, 31))
    assert lines[f"contract:{c.pk}:monthly:2025-02"][0] == c.monthly_fee
    assert f"contract:{c.pk}:initial" not in lines
    assert InvoiceLine.objects.filter(month=january, source_key=f"contract:{c.pk}:initial").exists()


def test_a_change_fee_and_a_one_time_fee_recorded_late_are_billed_once():
    c = in_service(accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6))
    bill_and_close(2025, 1)
    change = ContractChange.objects.create(contract=c, kind=ChangeKind.ROUTE, accepted_on=D(2025, 1, 20), fee=30_000)
    fee = OneTimeFee.objects.create(
        contract=c, kind=OneTimeFeeKind.TRAVEL, incurred_on=D(2025, 1, 25), amount=12_000, reason="site visit"
    )
    february = bill(2025, 2)
    lines = late_lines(february)
    assert lines[f"change:{change.pk}"][0] == 30_000
    assert lines[f"fee:{fee.pk}"][0] == 12_000
    bill_and_close(2025, 2)
    march = bill(2025, 3)
    assert f"change:{change.pk}" not in late_lines(march)  # invoiced once, in February


def test_a_termination_recorded_late_bills_its_settlement_and_gives_back_the_days_not_served():
    c = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2024, 12, 2), billing_on=D(2024, 12, 2))
    january = bill_and_close(2025, 1)
    february = bill_and_close(2025, 2)  # billed in full: the end was not known yet
    ended(c, on=D(2025, 2, 14), reason=TerminationReason.CUSTOMER_REQUEST)
    march = bill(2025, 3)
    lines = {line.source_key: line for line in InvoiceLine.objects.filter(month=march)}
    settlement = settlement_for(c, D(2025, 2, 14))
    assert lines[f"contract:{c.pk}:settlement"].amount == settlement.amount > 0
    given_back = lines[f"contract:{c.pk}:monthly:2025-02"]
    original = InvoiceLine.objects.get(month=february, source_key=f"contract:{c.pk}:monthly:2025-02")
    assert given_back.kind == FeeKind.ADJUSTMENT
    assert given_back.adjusts == original
    assert given_back.amount == prorate(c.monthly_fee, D(2025, 2, 1), D(2025, 2, 14)) - original.amount
    assert original.invoice.display_number in given_back.description
    assert january.lines.filter(contract=c).exists()


def test_a_retroactive_price_agreed_after_closing_is_corrected_on_the_next_invoice():
    c = in_service(accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6), monthly_fee=31_000)
    january = bill_and_close(2025, 1)
    agree_price(c, valid_from=D(2025, 1, 6), reason="discount agreed in December", retroactive=True, monthly_fee=15_500)
    february = bill(2025, 2)
    line = InvoiceLine.objects.get(month=february, source_key=f"contract:{c.pk}:monthly:2025-01")
    assert line.adjusts.month == january
    days = (D(2025, 1, 6), D(2025, 1, 31))
    assert line.amount == prorate(15_500, *days) - prorate(31_000, *days)


def test_an_equipment_charge_decided_in_a_closed_month_lands_in_the_next(django_user_model):
    logistics, approver = staff_of(django_user_model, "logistics", "l"), staff_of(django_user_model, "approver", "a")
    contract = ef.router_contract()
    lost = ef.installed(ef.unit(), contract=contract, by=logistics)
    bill_and_close(2025, 3)
    incident = incidents.report_loss_or_damage(lost, IncidentKind.LOSS, on=D(2025, 3, 1), by=logistics)
    charge = charges.assess(incident, on=D(2025, 3, 3), by=logistics)
    charges.approve(charge, on=D(2025, 3, 5), by=approver)
    april = bill(2025, 4)
    line = InvoiceLine.objects.get(month=april, source_key=charge.source_key)
    assert (line.amount, line.occurred_on) == (charge.amount, D(2025, 3, 5))
    assert line.description.startswith("2025年3月分")


def test_an_sla_credit_granted_in_a_closed_month_lands_in_the_next():
    contract = live()
    row = outage(at(2025, 3, 3, 10), timedelta(hours=13))
    outages.affect(row, [contract], by=None)
    bill_and_close(2025, 3)
    credit = claims.decide(claim(row, contract, D(2025, 3, 20)), on=D(2025, 3, 20), by=None)
    april = bill(2025, 4)
    assert InvoiceLine.objects.get(month=april, source_key=credit.source_key).amount == -credit.amount


def test_a_late_charge_lands_in_the_first_open_month_only():
    bill_and_close(2025, 1)
    february, march = bill(2025, 2), bill(2025, 3)
    c = f.contract(ServiceCode.CXM2, applied_on=D(2025, 1, 5))
    lifecycle.accept(c, on=D(2025, 1, 6))
    run_month(march)
    run_month(february)
    assert not InvoiceLine.objects.filter(month=march, contract=c).exists()
    assert InvoiceLine.objects.get(month=february, contract=c).source_key == f"contract:{c.pk}:initial"


def test_months_before_the_last_closed_one_are_refused():
    in_service(accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6))
    bill_and_close(2025, 3)
    with pytest.raises(ValidationError, match="not after the last closed month March 2025"):
        billing_month(2025, 2)
    assert not BillingMonth.objects.filter(month=D(2025, 2, 1)).exists()


def test_a_month_closes_only_run_current_and_after_the_months_before_it():
    from billing.closing import close_month

    c = in_service(accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6))
    january = billing_month(2025, 1)
    with pytest.raises(ValidationError, match="never run"):
        close_month(january, issued_on=D(2025, 2, 1))
    bill(2025, 1)
    february = bill(2025, 2)
    with pytest.raises(ValidationError, match="Bill and close 2025-01 first"):
        close_month(february, issued_on=D(2025, 3, 1))
    agree_price(c, valid_from=D(2025, 1, 6), reason="agreed", monthly_fee=1_000)
    with pytest.raises(ValidationError, match="1 to change"):
        close_month(january, issued_on=D(2025, 2, 1))
    assert not plan(january).is_current
    run_month(january)
    close_month(january, issued_on=D(2025, 2, 1))
    assert BillingMonth.objects.get(pk=january.pk).is_closed
