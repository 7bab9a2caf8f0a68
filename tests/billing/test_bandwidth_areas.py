"""ISP Platform bandwidth areas billed as in force during the month: an area change is a dated change record,
the bandwidth fee (not prorated, annex 1 §2 (1)(iii) note) reads the bandwidth in force on the month's last day,
and a change dated in a closed month is billed in the first open month."""

from datetime import date as D

import pytest

from backoffice.exceptions import InvalidTransition
from billing.models import InvoiceLine
from billing.run import run_month
from contracts.choices import ServiceCode
from contracts.models import BANDWIDTH_ATTRIBUTE, BandwidthArea, ChangeKind, ContractChange
from contracts.services.areas import change_areas

from .helpers import bill, bill_and_close, in_service, lines_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PER_100 = 30_000  # the catalog's bandwidth fee per 100 Mbps


def limited(**kw):
    """An IPoE bandwidth-limited contract billed from 2025-01-06 with east 300 + west 200 Mbps."""
    return in_service(
        ServiceCode.ISP_PLATFORM,
        item="isp_platform.ipoe_limited",
        accepted_on=D(2025, 1, 6),
        billing_on=D(2025, 1, 6),
        building_type="apartment",
        line_count=None,
        areas=(("east", 300), ("west", 200)),
        **kw,
    )


def bandwidth(month, contract) -> int:
    return lines_of(month)[f"contract:{contract.pk}:bandwidth"]


def test_an_area_change_is_a_dated_change_record_with_the_totals_typed(staff):
    c = limited()
    records = change_areas(c, limits={"east": 500, "west": 200}, on=D(2025, 2, 10), by=staff)
    assert [(r.kind, r.attribute, r.old_quantity, r.new_quantity, r.fee) for r in records] == [
        (ChangeKind.BANDWIDTH, BANDWIDTH_ATTRIBUTE, 500, 700, 0)  # no fee: annex 1 §3 prices the item change only
    ]
    assert (records[0].old_value, records[0].new_value) == ("East Japan 300 Mbps", "East Japan 500 Mbps")
    assert BandwidthArea.objects.get(contract=c, area="east").history.first().history_user == staff


def test_a_mid_month_change_bills_the_bandwidth_in_force_on_the_last_day_and_runs_agree(staff):
    c = limited()
    january = bill(2025, 1)
    assert bandwidth(january, c) == 5 * PER_100
    change_areas(c, limits={"east": 300, "west": 500}, on=D(2025, 2, 10), by=staff)
    run_month(january)  # run again after the change: January stays as it was in force then
    assert bandwidth(january, c) == 5 * PER_100
    february = bill(2025, 2)
    assert bandwidth(february, c) == 8 * PER_100  # not prorated: as in force on 2/28
    part = InvoiceLine.objects.get(source_key=f"contract:{c.pk}:bandwidth:2025-02")
    assert (part.quantity, part.unit_price) == (8, PER_100)


def test_two_changes_in_a_month_bill_the_last_and_removing_an_area_counts(staff):
    c = limited()
    change_areas(c, limits={"east": 300, "west": 500}, on=D(2025, 2, 3), by=staff)
    change_areas(c, limits={"east": 100}, on=D(2025, 2, 20), by=staff)
    assert list(
        ContractChange.objects.filter(contract=c).order_by("pk").values_list("old_quantity", "new_quantity")
    ) == [(500, 800), (800, 600), (600, 100)]
    assert bandwidth(bill(2025, 1), c) == 5 * PER_100
    assert bandwidth(bill(2025, 2), c) == 1 * PER_100
    assert not BandwidthArea.objects.filter(contract=c, area="west").exists()


def test_a_change_dated_in_a_closed_month_is_billed_in_the_first_open_month(staff):
    c = limited()
    january = bill_and_close(2025, 1)
    change_areas(c, limits={"east": 300, "west": 400}, on=D(2025, 1, 20), by=staff)  # paperwork arrives late
    february = bill(2025, 2)
    late = InvoiceLine.objects.get(month=february, source_key=f"contract:{c.pk}:bandwidth:2025-01")
    assert late.adjusts.month == january
    assert late.amount == (7 - 5) * PER_100
    assert bandwidth(february, c) == 7 * PER_100
    assert InvoiceLine.objects.filter(month=january, contract=c, amount=5 * PER_100).exists()  # issued stays


def test_a_change_before_a_later_one_or_in_the_future_or_before_acceptance_is_refused(staff):
    c = limited()
    change_areas(c, limits={"east": 400, "west": 200}, on=D(2025, 3, 1), by=staff)
    with pytest.raises(InvalidTransition, match="already changed on March 1, 2025"):
        change_areas(c, limits={"east": 500, "west": 200}, on=D(2025, 2, 1), by=staff)
    with pytest.raises(InvalidTransition, match="after today"):
        change_areas(c, limits={"east": 500, "west": 200}, on=D(2999, 1, 1), by=staff)
    with pytest.raises(InvalidTransition, match="before the contract or option itself was accepted"):
        change_areas(c, limits={"east": 500, "west": 200}, on=D(2025, 1, 1), by=staff)
    assert dict(BandwidthArea.objects.filter(contract=c).values_list("area", "mbps")) == {"east": 400, "west": 200}
