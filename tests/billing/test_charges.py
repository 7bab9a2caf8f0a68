"""What the monthly run charges for contracts and options (SPEC §1, §6), checked on the lines written."""

from datetime import date as D

import pytest

from billing.models import InvoiceLine
from billing.pricing import prorate
from billing.settlement import settlement_for
from billing.sources import FeeKind
from contracts.choices import ServiceCode, TerminationReason
from contracts.models import ContractChange, OneTimeFee
from contracts.models.change import ChangeKind
from contracts.models.charge import OneTimeFeeKind
from contracts.services import lifecycle
from tests import factories as f

from .helpers import bill, ended, in_service, lines_of

pytestmark = pytest.mark.django_db


def test_a_full_month_charges_the_monthly_fee_whole():
    c = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=31_000)
    month = bill(2025, 3)
    assert lines_of(month) == {f"contract:{c.pk}:monthly": 31_000}


def test_the_first_partial_month_is_prorated_by_day_and_carries_the_initial_fee():
    c = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 22), monthly_fee=31_000)
    month = bill(2025, 1)
    assert lines_of(month) == {
        f"contract:{c.pk}:initial": c.initial_fee,
        f"contract:{c.pk}:monthly": prorate(31_000, D(2025, 1, 22), D(2025, 1, 31)),
    }
    assert lines_of(month)[f"contract:{c.pk}:monthly"] == 10_000  # 31,000 × 10 / 31


def test_the_last_partial_month_is_prorated_through_the_last_day_of_service():
    c = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=30_000)
    ended(c, on=D(2025, 4, 10))
    month = bill(2025, 4)
    assert lines_of(month, kind=FeeKind.MONTHLY) == {f"contract:{c.pk}:monthly": 10_000}  # 30,000 × 10 / 30
    assert lines_of(bill(2025, 5)) == {}


@pytest.mark.parametrize(
    ("year", "days", "expected"),
    [(2025, 28, 28_000), (2024, 29, 29_000)],
    ids=["february", "february-leap-year"],
)
def test_february_counts_its_own_days(year, days, expected):
    """Billing from 02-01 is a whole February; from the 2nd it is prorated over 28 or 29 days."""
    whole = in_service(accepted_on=D(year, 1, 10), billing_on=D(year, 2, 1), monthly_fee=29_000 * 28)
    part = in_service(accepted_on=D(year, 1, 10), billing_on=D(year, 2, 2), monthly_fee=days * 1_000)
    month = bill(year, 2)
    assert lines_of(month, kind=FeeKind.MONTHLY) == {
        f"contract:{whole.pk}:monthly": 29_000 * 28,
        f"contract:{part.pk}:monthly": expected - 1_000,  # one day less than the whole month
    }


def test_isp_platform_bills_three_parts_never_prorated():
    ipoe = in_service(ServiceCode.ISP_PLATFORM, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 20))
    limited = in_service(
        ServiceCode.ISP_PLATFORM,
        item="isp_platform.ipoe_limited",
        accepted_on=D(2025, 1, 10),
        billing_on=D(2025, 1, 20),
        building_type="apartment",
        line_count=None,
        areas=(("east", 300), ("west", 200)),
    )
    month = bill(2025, 1)
    lines = lines_of(month, kind=FeeKind.MONTHLY)
    assert lines == {
        f"contract:{ipoe.pk}:monthly": 200_000,  # the base fee in full from the 20th
        f"contract:{ipoe.pk}:line_maintenance": 100 * 10,  # per line × 10 lines
        f"contract:{limited.pk}:monthly": 100_000,
        f"contract:{limited.pk}:bandwidth": 30_000 * 5,  # per 100 Mbps × (300 + 200) Mbps
    }
    part = InvoiceLine.objects.get(source_key=f"contract:{limited.pk}:bandwidth:2025-01")
    assert (part.quantity, part.unit_price) == (5, 30_000)


def test_router_rental_is_charged_per_unit_and_its_cancellation_fee_is_left_to_equipment():
    isp = in_service(ServiceCode.ISP_PLATFORM, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    rental = f.option(isp, "isp_platform.router_rental", units=3, applied_on=D(2025, 1, 10))
    f.activate(rental, accepted_on=D(2025, 1, 10), billing_on=D(2025, 2, 1))
    ended(rental, on=D(2025, 3, 31))
    assert lines_of(bill(2025, 2))[f"option:{rental.pk}:monthly"] == 3 * 1_000
    march = lines_of(bill(2025, 3))
    assert march[f"option:{rental.pk}:monthly"] == 3 * 1_000
    assert not any(key.endswith(":cancellation") for key in march)  # equipment's source charges it


def test_isp_options_are_prorated_by_day_while_the_base_service_is_not():
    """別紙1 §2 (1) (i)–(iii) exclude proration for the base fee, line maintenance and bandwidth only; the
    options (§2 (2)) have no such note, so SPEC §1's daily proration applies to them."""
    isp = in_service(ServiceCode.ISP_PLATFORM, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 15))
    fixed_ip = f.activate(
        f.option(isp, "isp_platform.ipv4_fixed_ip"), accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 15)
    )
    rental = f.option(isp, "isp_platform.router_rental", units=2)
    f.activate(rental, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 15))
    february = lines_of(bill(2025, 2), kind=FeeKind.MONTHLY)
    assert february[f"contract:{isp.pk}:monthly"] == isp.monthly_fee  # not prorated (§2 (1) (i))
    assert february[f"option:{fixed_ip.pk}:monthly"] == 3_000 * 14 // 28 == 1_500
    assert february[f"option:{rental.pk}:monthly"] == 2 * (1_000 * 14 // 28) == 1_000


def test_change_fees_and_one_time_fees_are_charged_once_in_their_month():
    c = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    change = ContractChange.objects.create(contract=c, kind=ChangeKind.EQUIPMENT, accepted_on=D(2025, 2, 3), fee=10_000)
    fee = OneTimeFee.objects.create(
        contract=c, kind=OneTimeFeeKind.AFTER_HOURS, amount=7_000, incurred_on=D(2025, 2, 20), reason="night work"
    )
    february = lines_of(bill(2025, 2), kind=FeeKind.ONE_TIME)
    assert february == {f"change:{change.pk}": 10_000, f"fee:{fee.pk}": 7_000}
    assert lines_of(bill(2025, 3), kind=FeeKind.ONE_TIME) == {}


def test_an_initial_fee_is_charged_once_in_the_month_of_acceptance_even_before_billing_starts():
    """SPEC §1: the initial fee arises on acceptance; the monthly fee only from the billing start."""
    c = in_service(accepted_on=D(2025, 1, 28), billing_on=D(2025, 2, 10))
    assert lines_of(bill(2025, 1)) == {f"contract:{c.pk}:initial": c.initial_fee}
    assert lines_of(bill(2025, 2), kind=FeeKind.INITIAL) == {}
    assert f"contract:{c.pk}:monthly" in lines_of(bill(2025, 2))
    assert lines_of(bill(2025, 3), kind=FeeKind.INITIAL) == {}


def test_an_option_is_billed_from_its_own_billing_start():
    c = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    napt = f.option(c, "cxm2.napt", applied_on=D(2025, 2, 1))
    f.activate(napt, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 15))
    lines = lines_of(bill(2025, 2), kind=FeeKind.MONTHLY)
    assert lines[f"option:{napt.pk}:monthly"] == prorate(napt.monthly_fee, D(2025, 2, 15), D(2025, 2, 28))


# Early-termination settlements (SPEC §1; each service's early-termination article).


def _ended_early(service=ServiceCode.MANAGED_ROUTER, *, reason=TerminationReason.CUSTOMER_REQUEST, **kw):
    c = in_service(service, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), **kw)
    return ended(c, on=D(2025, 6, 30), reason=reason)


@pytest.mark.parametrize(
    ("service", "kw"),
    [
        (ServiceCode.MANAGED_ROUTER, {}),
        (ServiceCode.ISP_PLATFORM, {}),
        (ServiceCode.CXM2, {}),
    ],
)
def test_an_early_end_adds_the_settlement_of_the_remaining_minimum_period(service, kw):
    c = _ended_early(service, **kw)
    expected = settlement_for(c, c.terminated_on).amount
    lines = lines_of(bill(2025, 6), kind=FeeKind.SETTLEMENT)
    assert lines == ({f"contract:{c.pk}:settlement": expected} if expected else {})
    if service == ServiceCode.MANAGED_ROUTER:  # 1 year from 2025-01-15: the rest of the year is owed
        assert expected > 0


def test_the_managed_routers_restarted_period_is_settled_from_the_restart():
    c = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2024, 1, 10), billing_on=D(2024, 1, 15))
    lifecycle.restart_minimum_period(c, on=D(2025, 3, 1), reason="router replaced (art. 5 ¶3)")
    c.refresh_from_db()
    assert c.min_period_end_on == D(2026, 2, 28)
    ended(c, on=D(2025, 6, 30))
    settlement = settlement_for(c, D(2025, 6, 30))
    assert settlement.amount > 0
    assert lines_of(bill(2025, 6), kind=FeeKind.SETTLEMENT) == {f"contract:{c.pk}:settlement": settlement.amount}


@pytest.mark.parametrize(
    "reason", [TerminationReason.GT_ART28_2, TerminationReason.GT_ART28_3, TerminationReason.ABOLITION]
)
def test_no_settlement_after_art_28_or_an_abolition(reason):
    c = _ended_early(reason=reason)
    assert settlement_for(c, c.terminated_on).amount == 0
    assert lines_of(bill(2025, 6), kind=FeeKind.SETTLEMENT) == {}


def test_an_end_after_the_minimum_period_owes_no_settlement():
    c = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    ended(c, on=D(2025, 6, 30))
    assert lines_of(bill(2025, 6), kind=FeeKind.SETTLEMENT) == {}


def test_an_option_ended_early_owes_its_own_remaining_fees():
    c = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    napt = f.option(c, "cxm2.napt", applied_on=D(2025, 2, 1))
    f.activate(napt, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 15))
    ended(napt, on=D(2025, 3, 5))  # its one month runs through 03-14
    expected = prorate(napt.monthly_fee, D(2025, 3, 6), D(2025, 3, 14))
    assert expected > 0 and settlement_for(napt, D(2025, 3, 5)).amount == expected
    assert lines_of(bill(2025, 3), kind=FeeKind.SETTLEMENT) == {f"option:{napt.pk}:settlement": expected}
