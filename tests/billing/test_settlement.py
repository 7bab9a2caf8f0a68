"""The early-termination settlement of each service's contracts and options, and its waivers (SPEC §1–§6)."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from billing.settlement import monthly_fee_of, settlement_for
from contracts.choices import ServiceCode, TerminationReason
from contracts.models import Contract, ContractOption
from contracts.terms import minimum_period_end

D = date.fromisoformat


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def contract(service=ServiceCode.CXM2, *, fee=60000, start="2025-01-15", months=1, prorated=True, **kw):
    """An unsaved contract with the frozen terms ``settlement_for`` reads (no database needed)."""
    end = minimum_period_end(D(start), months) if months else None
    fields = {"monthly_fee": fee, "prorated": prorated, "min_period_end_on": end, "termination_reason": "", **kw}
    return Contract(service_id=service, number="C-1", **fields)


def option(service, *, fee, start="2025-01-15", months=1, prorated=True, **kw):
    end = minimum_period_end(D(start), months) if months else None
    row = ContractOption(monthly_fee=fee, prorated=prorated, min_period_end_on=end, termination_reason="", **kw)
    row.contract = Contract(service_id=service, number="C-2")
    return row


def test_cxm2_pays_the_prorated_rest_of_its_month():
    """CXM2 art. 12: 1 month from 2025-01-15 ends 2025-02-14; last day 01-31 leaves 14 of 28 February days."""
    s = settlement_for(contract(), D("2025-01-31"))
    assert s.amount == 30000
    assert s.summary() == "Early-termination settlement: 30,000 yen (CXM2 art. 12, annex 3)."
    assert s.lines() == [
        "Monthly fee: 60,000 yen",
        "Rest of the minimum period: Feb. 1, 2025 to Feb. 14, 2025 (last day of service Jan. 31, 2025)",
        "Prorated by day: fee × days ÷ days in the month, rounded down to the yen.",
        "Feb. 1, 2025 to Feb. 14, 2025: 14 of 28 days, 30,000 yen",
    ]


def test_the_breakdown_writes_dates_and_months_as_staff_write_them_in_japanese():
    """最低利用期間の残り: 2025年2月1日から…, 2025年2月: the breakdown staff read on the confirmation page."""
    with translation.override("ja"):
        prorated = settlement_for(contract(), D("2025-01-31")).lines()
        whole = settlement_for(option(ServiceCode.SMART_HUB, fee=40000, months=3), D("2025-02-28")).lines()
    assert prorated[1] == "最低利用期間の残り:2025年2月1日から2025年2月14日まで(利用最終日 2025年1月31日)"
    assert whole[3].startswith("2025年3月:")


def test_cxm2_option_pays_its_own_fee():
    s = settlement_for(option(ServiceCode.CXM2, fee=8000), D("2025-01-20"))
    assert s.amount == 8000 * 11 // 31 + 8000 * 14 // 28
    assert "CXM2 art. 12" in s.summary()


def test_cloud_proxy_child_pays_the_rest_of_its_month():
    s = settlement_for(contract(ServiceCode.CLOUD_PROXY, fee=31000, start="2025-03-10"), D("2025-03-20"))
    assert (s.minimum_period_end, s.amount) == (D("2025-04-09"), 31000 * 11 // 31 + 31000 * 9 // 30)


def test_smart_hub_base_has_no_minimum_period_but_its_ports_do():
    """Smart HUB art. 1 (no minimum period for the base), art. 8 (options only), ports 3 months."""
    base = settlement_for(contract(ServiceCode.SMART_HUB, fee=100000, months=None), D("2025-01-31"))
    assert (base.amount, base.summary()) == (0, "No early-termination settlement: no minimum period.")
    port = settlement_for(option(ServiceCode.SMART_HUB, fee=40000, months=3), D("2025-02-28"))
    assert port.minimum_period_end == D("2025-04-14")
    assert port.amount == 40000 + 40000 * 14 // 30
    assert [line.split(":")[0] for line in port.lines()[3:]] == ["March 2025", "April 1, 2025 to April 14, 2025"]
    assert "Smart HUB art. 8, annex 3" in port.summary()


def test_managed_router_pays_the_rest_of_its_year():
    s = settlement_for(contract(ServiceCode.MANAGED_ROUTER, fee=15000, months=12), D("2025-04-15"))
    assert s.minimum_period_end == D("2026-01-14")
    assert s.amount == 15000 * 15 // 30 + 8 * 15000 + 15000 * 14 // 31
    assert "Managed Router art. 12, annex 2" in s.summary()


def test_isp_platform_pays_whole_months_of_all_three_parts():
    """ISP Platform art. 11, annex 2: base + 10 lines × 100 yen + 3 × 100 Mbps × 30,000 yen, not prorated."""
    row = contract(
        ServiceCode.ISP_PLATFORM,
        fee=100000,
        prorated=False,
        start="2025-01-15",
        months=1,
        line_count=10,
        line_fee=100,
        bandwidth_fee=30000,
    )
    row.bandwidth_mbps = 300
    assert monthly_fee_of(row)[0] == 100000 + 1000 + 90000
    s = settlement_for(row, D("2025-01-20"))  # January is billed in full; February remains
    assert s.amount == 191000
    assert s.lines()[0] == (
        "Monthly fee: 191,000 yen = base 100,000 yen + line maintenance 100 yen × 10 lines"
        " + bandwidth 30,000 yen × 3 × 100 Mbps"
    )
    assert "Not prorated" in s.lines()[2]
    assert s.lines()[3] == "February 2025: full month, 191,000 yen"


def test_isp_platform_rest_within_the_billed_month_costs_nothing():
    row = contract(ServiceCode.ISP_PLATFORM, fee=200000, prorated=False, line_count=0, line_fee=0, bandwidth_fee=0)
    row.bandwidth_mbps = 0
    s = settlement_for(row, D("2025-02-10"))
    assert s.amount == 0
    assert "lies in the month of the last day of service" in s.summary()


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        (TerminationReason.GT_ART28_2, "General terms art. 28 ¶2"),
        (TerminationReason.GT_ART28_3, "General terms art. 28 ¶3"),
        (TerminationReason.ABOLITION, "Service or item abolished"),
    ],
)
def test_provider_side_ends_waive_the_settlement(reason, label):
    s = settlement_for(contract(), D("2025-01-31"), reason=reason)
    assert (s.amount, s.months) == (0, ())
    assert s.summary() == f"Early-termination settlement waived: {label}."


def test_the_rows_own_reason_and_abolition_waive_it():
    assert settlement_for(contract(termination_reason=TerminationReason.GT_ART28_2), D("2025-01-31")).amount == 0
    abolished = contract(abolition_id=1)
    assert settlement_for(abolished, D("2025-01-31")).waived_because == "Service or item abolished"


@pytest.mark.parametrize(
    ("service", "months", "waived"),
    [
        (ServiceCode.MANAGED_ROUTER, 12, True),  # art. 12 ¶2 names the exception for options
        (ServiceCode.CXM2, 1, False),  # art. 12 ¶2 names none
        (ServiceCode.CLOUD_PROXY, 1, False),  # art. 14 ¶2 names none
        (ServiceCode.SMART_HUB, 3, False),  # art. 8 names none
    ],
)
def test_general_terms_art_28_waives_an_options_settlement_only_where_the_terms_say_so(service, months, waived):
    row = option(service, fee=28000, months=months)
    s = settlement_for(row, D("2025-01-31"), reason=TerminationReason.GT_ART28_2)
    assert (s.amount == 0) == waived
    assert settlement_for(row, D("2025-01-31"), reason=TerminationReason.ABOLITION).amount == 0


@pytest.mark.parametrize("reason", [TerminationReason.CUSTOMER_REQUEST, TerminationReason.CASCADE])
def test_customer_and_cascade_ends_pay(reason):
    assert settlement_for(contract(), D("2025-01-31"), reason=reason).amount == 30000


def test_no_settlement_once_the_period_ended():
    s = settlement_for(contract(), D("2025-02-14"))
    assert (s.amount, s.summary()) == (0, "No early-termination settlement: the minimum period ended on Feb. 14, 2025.")
    assert s.lines() == []


@given(st.dates(min_value=date(2025, 2, 14), max_value=date(2099, 12, 31)), st.booleans())
def test_settlement_is_zero_past_the_period_end(effective, prorated):
    assert settlement_for(contract(prorated=prorated), effective).amount == 0
