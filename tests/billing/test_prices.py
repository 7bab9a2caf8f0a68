"""Prices follow the contract through every change (issue 25 ¶1, ¶2): an accepted item change brings the new
item's prices from its day, a price agreed later is dated, closed months are corrected only on purpose.

The amounts are the catalog's (the annexes' "amount we show the customer"): CXM2 100Mbps 60,000円, 1Gbps
250,000円; Cloud Proxy bypass plan 1 20k sessions 40,000円, 40k 70,000円; ISP Platform IPoE 200,000円 base
and 100円 a line, IPoE shared 150,000円 and 80円 a line.
"""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError

from billing.models import InvoiceLine
from billing.prices import agree_price, agreement_notes
from billing.settlement import settlement_for
from contracts.choices import BuildingType, ServiceCode
from contracts.models import DatedPrice, Item, PriceOrigin
from contracts.services import changes, lifecycle
from contracts.services.prices import record_price
from tests import factories as f
from tests.rules.test_cloud_proxy import live_set

from .helpers import bill, bill_and_close, ended, in_service, lines_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def item(code: str) -> Item:
    return Item.objects.get(pk=code)


def cxm2_changed_to_1g_on_15_september():
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    records = changes.accept_change(contract, on=D(2025, 9, 15), item=item("cxm2.1g"))
    return contract, records


def test_cxm2_100m_to_1g_splits_september_by_day_and_bills_october_at_the_new_price():
    contract, records = cxm2_changed_to_1g_on_15_september()
    september = lines_of(bill(2025, 9))
    key = f"contract:{contract.pk}:monthly"
    assert september[key] == 60_000 * 14 // 30 == 28_000  # 09/01–09/14 at 100Mbps
    assert september[f"{key}:2025-09:15"] == 250_000 * 16 // 30 == 133_333  # 09/15–09/30 at 1Gbps
    assert september[f"change:{records[0].pk}"] == 10_000
    assert lines_of(bill(2025, 10))[key] == 250_000


def test_each_part_of_the_month_names_the_item_in_force_then():
    contract, _records = cxm2_changed_to_1g_on_15_september()
    september = bill(2025, 9)
    lines = dict(InvoiceLine.objects.filter(month=september, kind="monthly").values_list("source_key", "description"))
    assert "100Mbps" in lines[f"contract:{contract.pk}:monthly:2025-09"]
    assert "1Gbps" in lines[f"contract:{contract.pk}:monthly:2025-09:15"]
    august = lines_of(bill(2025, 8))
    assert august[f"contract:{contract.pk}:monthly"] == 60_000  # before the change: the old price, whole month


def test_the_acceptance_terms_are_kept_as_the_first_price_with_the_item_of_that_time():
    contract, records = cxm2_changed_to_1g_on_15_september()
    prices = list(DatedPrice.objects.filter(contract=contract).order_by("valid_from"))
    assert [(p.valid_from, p.origin, p.item_id, p.monthly_fee) for p in prices] == [
        (D(2025, 7, 1), PriceOrigin.ACCEPTANCE, "cxm2.100m", 60_000),
        (D(2025, 9, 15), PriceOrigin.CHANGE, "cxm2.1g", 250_000),
    ]
    assert prices[1].change == records[0]
    contract.refresh_from_db()
    assert contract.monthly_fee == 60_000  # the terms frozen at acceptance stay as they were


def test_a_price_agreed_with_the_change_wins_over_the_list_price():
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    changes.accept_change(contract, on=D(2025, 10, 1), item=item("cxm2.500m"), prices={"monthly_fee": 140_000})
    assert lines_of(bill(2025, 10))[f"contract:{contract.pk}:monthly"] == 140_000


def test_cloud_proxy_bypass_20k_to_40k_is_70000_from_the_next_full_month():
    _parent, _template, bypass = live_set()  # accepted 2025-01-10, billed from 2025-01-15
    changes.accept_change(bypass, on=D(2025, 2, 10), item=item("cloud_proxy.bypass.p1.40k"))
    february = lines_of(bill(2025, 2))
    key = f"contract:{bypass.pk}:monthly"
    assert february[key] == 40_000 * 9 // 28  # 02/01–02/09 at 20k sessions
    assert february[f"{key}:2025-02:10"] == 70_000 * 19 // 28  # 02/10–02/28 at 40k
    assert lines_of(bill(2025, 3))[key] == 70_000


def test_isp_platform_shared_to_ipoe_with_20_lines_is_priced_on_the_months_last_day():
    contract = in_service(
        ServiceCode.ISP_PLATFORM,
        item="isp_platform.ipoe_shared",
        accepted_on=D(2025, 6, 2),
        billing_on=D(2025, 6, 2),
        building_type=BuildingType.DETACHED,
        line_count=10,
        bandwidth_consent_on=D(2025, 6, 1),
        end_user_consent_on=D(2025, 6, 1),
    )
    assert lines_of(bill(2025, 6))[f"contract:{contract.pk}:monthly"] == 150_000
    changes.accept_change(contract, on=D(2025, 7, 20), item=item("isp_platform.ipoe"), line_count=20)
    for month in (7, 8):  # not prorated: the month holding the change is priced by its last day (annex 1 §2)
        lines = lines_of(bill(2025, month))
        assert lines[f"contract:{contract.pk}:monthly"] == 200_000
        assert lines[f"contract:{contract.pk}:line_maintenance"] == 2_000  # 100円 × 20 lines


def test_a_price_agreed_in_an_open_month_leaves_closed_months_untouched(staff):
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    july, august = bill_and_close(2025, 7), bill_and_close(2025, 8)
    agree_price(contract, valid_from=D(2025, 9, 15), by=staff, reason="増速前の割引", monthly_fee=75_000)
    september = bill(2025, 9)
    lines = lines_of(september)
    assert lines[f"contract:{contract.pk}:monthly"] == 60_000 * 14 // 30
    assert lines[f"contract:{contract.pk}:monthly:2025-09:15"] == 75_000 * 16 // 30
    assert not InvoiceLine.objects.filter(month=september, adjusts__isnull=False).exists()
    assert not InvoiceLine.objects.filter(month=september, occurred_on__lt=D(2025, 9, 1)).exists()
    assert (
        sum(InvoiceLine.objects.filter(month__in=[july, august]).values_list("amount", flat=True))
        == 50_000 + 2 * 60_000
    )
    price = DatedPrice.objects.get(contract=contract, origin=PriceOrigin.AGREEMENT)
    history = price.history.latest()
    assert (history.history_user, history.history_change_reason) == (staff, "増速前の割引")


def test_a_price_reaching_into_a_closed_month_is_refused_unless_retroactive(staff):
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    bill_and_close(2025, 7)
    bill_and_close(2025, 8)
    with pytest.raises(ValidationError, match="closed billing month"):
        agree_price(contract, valid_from=D(2025, 8, 1), by=staff, reason="late discount", monthly_fee=50_000)
    assert not DatedPrice.objects.filter(contract=contract).exists()
    price = agree_price(
        contract, valid_from=D(2025, 8, 1), by=staff, reason="late discount", monthly_fee=50_000, retroactive=True
    )
    assert price.retroactive
    september = bill(2025, 9)
    correction = InvoiceLine.objects.get(month=september, source_key=f"contract:{contract.pk}:monthly:2025-08")
    assert correction.amount == -10_000
    assert correction.adjusts.month.period.month == 8  # it names the August line it corrects
    assert (
        "Correction" in correction.description or "訂正" in correction.description or "修正" in correction.description
    )
    assert lines_of(september)[f"contract:{contract.pk}:monthly"] == 50_000
    assert not InvoiceLine.objects.filter(month=september, source_key__endswith=":2025-07").exists()


def test_the_confirmation_shows_each_closed_months_correction_with_its_invoice(staff):
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    bill_and_close(2025, 7)
    august = bill_and_close(2025, 8)
    invoice = august.invoices.get(customer=contract.customer)
    data = {"valid_from": D(2025, 8, 16), "monthly_fee": 90_000, "retroactive": True, "reason": "agreed"}
    notes = agreement_notes([contract], data)
    text = " ".join([note.text for note in notes] + [line for note in notes for line in note.details])
    assert "Monthly fee: ¥60,000 → ¥90,000" in text or "60,000" in text and "90,000" in text
    assert invoice.display_number in text
    assert "First month billed at the new price" in text
    assert not DatedPrice.objects.filter(contract=contract).exists()  # a preview writes nothing


def test_early_termination_counts_each_remaining_month_at_the_price_in_force(staff):
    router = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6))
    fee = router.monthly_fee
    agree_price(router, valid_from=D(2025, 6, 1), by=staff, reason="継続割引", monthly_fee=fee - 5_000)
    ended(router, on=D(2025, 9, 30))
    settlement = settlement_for(router, D(2025, 9, 30))
    # October to the period's end (2026-01-05): three whole months and five days, at the agreed price.
    assert settlement.monthly_fee == fee - 5_000
    assert settlement.amount == 3 * (fee - 5_000) + (fee - 5_000) * 5 // 31


def test_a_change_fee_is_the_one_in_force_on_the_day_of_the_change(staff):
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    agree_price(contract, valid_from=D(2025, 8, 1), by=staff, reason="変更手数料の減額", change_fee=5_000)
    records = changes.accept_change(contract, on=D(2025, 9, 15), item=item("cxm2.1g"))
    assert records[0].fee == 5_000


def test_an_undated_override_of_a_price_is_refused():
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    with pytest.raises(ValueError, match="not an overridable term"):
        lifecycle.override_terms(contract, reason="discount", monthly_fee=1_000)


def test_a_price_before_acceptance_or_on_an_ended_contract_is_refused(staff):
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    with pytest.raises(ValidationError, match="before the contract or option was accepted"):
        record_price(contract, valid_from=D(2025, 6, 30), origin=PriceOrigin.AGREEMENT, monthly_fee=1)
    ended(contract, on=D(2025, 9, 30))
    with pytest.raises(ValidationError, match="live, accepted"):
        agree_price(contract, valid_from=D(2025, 9, 1), by=staff, reason="x", monthly_fee=1)


def test_an_option_price_is_agreed_from_a_day(staff):
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    napt = f.option(contract, "cxm2.napt", applied_on=D(2025, 7, 1))
    f.activate(napt, accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    agree_price(napt, valid_from=D(2025, 9, 1), by=staff, reason="セット割", monthly_fee=1_000)
    assert lines_of(bill(2025, 9))[f"option:{napt.pk}:monthly"] == 1_000
    assert lines_of(bill(2025, 8))[f"option:{napt.pk}:monthly"] == napt.monthly_fee


def test_an_amount_the_annex_fixes_at_0_yen_is_refused_in_a_price_agreement(staff):
    """CXM2 別紙2 2.(2): the firewall integration option's monthly fee is 0円."""
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    firewall = f.option(contract, "cxm2.firewall", applied_on=D(2025, 7, 1))
    f.related(contract.customer, "managed_firewall")
    f.activate(firewall, accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    with f.refused("CXM2 annex 2 2.(2)"):
        agree_price(firewall, valid_from=D(2025, 9, 1), by=staff, reason="typed", monthly_fee=1_000)
    assert not DatedPrice.objects.filter(option=firewall).exists()


def test_a_run_of_many_rows_reads_every_dated_price_at_once_and_keeps_its_own(monkeypatch):
    """Past one batch of ids the dated prices are read in one query, whatever their number, for those ids only."""
    from contracts import selectors

    monkeypatch.setattr(selectors, "PRICE_BATCH", 1)
    changed, _records = cxm2_changed_to_1g_on_15_september()
    other = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    changes.accept_change(other, on=D(2025, 9, 1), item=item("cxm2.500m"))
    found = selectors.dated_prices(contracts=[changed.pk, 10**9], up_to=D(2025, 9, 30))
    assert set(found) == {("contract", changed.pk)}
    assert [p["monthly_fee"] for p in found[("contract", changed.pk)]] == [60_000, 250_000]
