"""sla.services.outages: picking contracts, credits per contract, exclusions, services without a guarantee, the
cap across a month's outages, and the rules of the outage and notification rows."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.prices import agree_price
from contracts.choices import Region, ServiceCode
from contracts.selectors import sla_contracts
from sla.models import AffectedContract, ExclusionReason, FailureNotification, Outage
from sla.services import claims, outages
from tests import factories as f

from .builders import FEE, at, claim, live, notify, outage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOUR = timedelta(hours=1)


def credits_of(row):
    return {a.contract_id: (a.availability_credit, a.notification_credit) for a in row.affected.all()}


def test_each_contract_gets_its_tier_on_its_own_frozen_fee():
    cxm2, hub = live(), live(ServiceCode.SMART_HUB, fee=30_000)
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    assert outages.affect(row, [cxm2, hub], by=None) == 2
    assert credits_of(row) == {cxm2.pk: (3_000, 0), hub.pk: (1_000, 0)}
    first = row.affected.get(contract=cxm2)
    assert first.availability_deadline == date(2025, 6, 3)
    assert first.notification_deadline is None
    assert first.history.count() == 2  # created, then its credits computed


def test_affecting_twice_adds_only_the_new_contracts():
    a, b = live(), live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [a], by=None)
    assert outages.affect(row, [a, b], by=None) == 1
    assert row.affected.count() == 2


def test_late_or_missing_notification_adds_one_thirtieth_claimable_from_the_notice():
    customer = f.customer()
    a, b, c = live(customer=customer), live(customer=customer), live()
    row = outage(at(2025, 3, 3, 10), timedelta(minutes=20))
    outages.affect(row, [a, b, c], by=None)
    notify(row, customer, at(2025, 3, 3, 10, 5), at(2025, 3, 5, 9))  # the whole customer, 2 days late
    notify(row, customer, at(2025, 3, 3, 10, 5), at(2025, 3, 3, 10, 35), contract=b)  # b: exactly 30 min
    notify(row, c.customer, at(2025, 3, 3, 10, 5), None)  # never
    assert credits_of(row) == {a.pk: (0, 3_000), b.pk: (0, 0), c.pk: (0, 3_000)}
    assert row.affected.get(contract=a).notification_deadline == date(2025, 6, 5)
    assert row.affected.get(contract=c).notification_deadline == date(2025, 6, 3)  # never: from the outage's end


@pytest.mark.parametrize("reason", ExclusionReason.values)
def test_an_excluded_outage_earns_nothing(reason):
    contract = live()
    row = outage(at(2025, 3, 3, 10), 3 * 24 * HOUR, excluded=True, exclusion_reason=reason, exclusion_note="why")
    outages.affect(row, [contract], by=None)
    notify(row, contract.customer, at(2025, 3, 3, 10), None)
    assert credits_of(row) == {contract.pk: (0, 0)}


def test_excluding_an_outage_later_withdraws_its_credits():
    contract = live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [contract], by=None)
    row.excluded, row.exclusion_reason, row.exclusion_note = True, ExclusionReason.NOT_OUR_FAULT, "carrier cut"
    row.full_clean()
    row.save()
    outages.recompute(row, by=None)
    assert credits_of(row) == {contract.pk: (0, 0)}


def test_services_without_a_guarantee_get_nothing():
    proxy = live(ServiceCode.ISP_PLATFORM)
    row = outage(at(2025, 3, 3, 10), 20 * 24 * HOUR)
    outages.affect(row, [proxy], by=None)
    notify(row, proxy.customer, at(2025, 3, 3, 10), None)
    assert credits_of(row) == {proxy.pk: (0, 0)}
    assert proxy not in sla_contracts()


def test_the_cap_leaves_a_later_outage_of_the_month_what_is_left():
    contract = live()
    first = outage(at(2025, 3, 1, 0, 0, 0), 10 * 24 * HOUR)  # 1/2: 45,000
    second = outage(at(2025, 3, 20), 10 * 24 * HOUR)  # 1/2: 45,000, the cap is reached with it
    third = outage(at(2025, 3, 31, 23, 59, 59), 2 * HOUR)  # starts in March (Tokyo): nothing left
    april = outage(at(2025, 4, 1, 0, 0, 0), 2 * HOUR)  # a new month, a new cap
    for row in (third, second, first, april):  # recorded out of order: the order is the start
        outages.affect(row, [contract], by=None)
    after_cap = {row: outages.estimate(row, [contract])[0].after_cap for row in (first, second, third, april)}
    assert after_cap == {first: 45_000, second: 45_000, third: 0, april: 3_000}


def test_the_cap_on_grants_counts_what_the_month_already_granted():
    contract = live()
    rows = [outage(at(2025, 3, day), 10 * 24 * HOUR) for day in (1, 12)] + [outage(at(2025, 3, 25), 2 * HOUR)]
    for row in rows:
        outages.affect(row, [contract], by=None)
        notify(row, contract.customer, row.started_at, None)  # never notified: +3,000 each
    granted = [claims.decide(claim(row, contract, date(2025, 4, 20)), on=date(2025, 4, 21), by=None) for row in rows]
    assert [(c.availability_amount, c.notification_amount) for c in granted[:2]] == [(45_000, 3_000), (42_000, 0)]
    assert granted[2] is None
    assert sum(c.amount for c in granted[:2]) == FEE


def test_selector_picks_by_customer_service_location_and_closed_network():
    customer = f.customer()
    tokyo = live(customer=customer, region=Region.TOKYO)
    osaka = live(region=Region.OSAKA)
    hub = live(ServiceCode.SMART_HUB)
    assert set(sla_contracts(customer=customer)) == {tokyo}
    assert set(sla_contracts(location=Region.OSAKA)) == {osaka}
    assert set(sla_contracts(closed_network=hub.closed_network)) == {hub}
    assert set(sla_contracts(service=ServiceCode.CXM2)) == {tokyo, osaka}


def test_estimate_costs_the_same_queries_for_many_contracts(django_assert_max_num_queries):
    contracts = [live() for _ in range(12)]
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    with django_assert_max_num_queries(3):
        outages.estimate(row, contracts[:2])
    with django_assert_max_num_queries(3):
        outages.estimate(row, contracts)


def test_the_credit_is_of_the_monthly_fee_in_force_when_the_outage_started():
    """A 2-hour outage costs 1/30 of the base fee (SPEC §8): the fee agreed from 3/1, not the one before."""
    contract = live()
    agree_price(contract, valid_from=date(2025, 3, 1), reason="upgrade", monthly_fee=FEE * 2)
    before, after = outage(at(2025, 2, 20, 10), 2 * HOUR), outage(at(2025, 3, 3, 10), 2 * HOUR)
    assert outages.estimate(before, [contract])[0].availability_credit == FEE // 30
    assert outages.estimate(after, [contract])[0].availability_credit == FEE * 2 // 30


# The rows' own rules, as the admin, commands and the database see them.


def test_an_outage_ends_after_it_starts_and_is_recorded_to_the_second():
    row = Outage(started_at=at(2025, 3, 3, 10), ended_at=at(2025, 3, 3, 10), cause="x")
    with pytest.raises(ValidationError, match="ends after it starts"):
        row.full_clean()
    row = Outage(started_at=at(2025, 3, 3, 10, 0, 0, 999), ended_at=at(2025, 3, 3, 11, 0, 0, 1), cause="x")
    row.full_clean()
    assert (row.started_at.microsecond, row.ended_at.microsecond) == (0, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outage.objects.create(started_at=at(2025, 3, 3, 10), ended_at=at(2025, 3, 3, 9), cause="x")


def test_an_excluded_outage_names_its_reason_and_why():
    row = Outage(started_at=at(2025, 3, 3, 10), ended_at=at(2025, 3, 3, 12), cause="x", excluded=True)
    with pytest.raises(ValidationError, match="CXM2 art. 8"):
        row.full_clean()
    row.exclusion_reason = ExclusionReason.CUSTOMER_BREACH
    with pytest.raises(ValidationError, match="why the outage is excluded"):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Outage.objects.create(
            started_at=at(2025, 3, 3, 10), ended_at=at(2025, 3, 3, 12), cause="x", excluded=True, exclusion_note="n"
        )


def test_an_outage_with_granted_credits_keeps_its_times():
    contract = live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [contract], by=None)
    claims.decide(claim(row, contract, date(2025, 3, 10)), on=date(2025, 3, 10), by=None)
    row.cause = "router failure, confirmed"
    row.full_clean()  # the cause may be corrected
    row.ended_at += HOUR
    with pytest.raises(ValidationError, match="Credits were granted"):
        row.full_clean()


def test_a_notification_copies_the_failure_contact_and_belongs_to_the_customer():
    customer = f.customer(failure_contact_name="障害 太郎", failure_contact_phone="03-0000-0000")
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    notice = notify(row, customer, at(2025, 3, 3, 10), at(2025, 3, 3, 10, 10))
    assert (notice.contact_name, notice.contact_phone) == ("障害 太郎", "03-0000-0000")
    stranger = FailureNotification(
        outage=row, customer=customer, contract=live(), detected_at=at(2025, 3, 3, 10), notified_at=None
    )
    with pytest.raises(ValidationError, match="not the customer's"):
        stranger.full_clean()
    early = FailureNotification(
        outage=row, customer=f.customer(), detected_at=at(2025, 3, 3, 10), notified_at=at(2025, 3, 3, 9)
    )
    with pytest.raises(ValidationError, match="after it is detected"):
        early.full_clean()
    with pytest.raises(ValidationError, match="already recorded"):
        FailureNotification(outage=row, customer=customer, detected_at=at(2025, 3, 3, 10)).full_clean()


def test_a_contract_is_affected_once_per_outage():
    contract = live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [contract], by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        AffectedContract.objects.create(outage=row, contract=contract)


def _exclude(row: AffectedContract, reason=ExclusionReason.CUSTOMER_BREACH, note="unauthorised device attached"):
    row.excluded, row.exclusion_reason, row.exclusion_note = True, reason, note
    row.full_clean()
    row.save()
    outages.recompute(row.outage, by=None)


@pytest.mark.parametrize("reason", [ExclusionReason.CUSTOMER_BREACH, ExclusionReason.NOTIFIED_SUSPENSION])
def test_a_customers_own_exclusion_removes_its_contracts_credit_only(reason):
    """A breach of one customer, or a suspension notified to it (General Terms art. 24 ¶2), excludes that
    contract's credit, not the other contracts' of the same outage."""
    breaching, other = live(), live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [breaching, other], by=None)
    notify(row, breaching.customer, at(2025, 3, 3, 10), None)
    _exclude(row.affected.get(contract=breaching), reason)
    assert credits_of(row) == {breaching.pk: (0, 0), other.pk: (3_000, 0)}
    assert row.affected.get(contract=breaching).history.first().history_change_reason == "credits recomputed"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"excluded": True, "exclusion_reason": ExclusionReason.NOT_OUR_FAULT, "exclusion_note": "x"}, "reason"),
        ({"excluded": True, "exclusion_reason": ExclusionReason.CUSTOMER_BREACH, "exclusion_note": " "}, "Say why"),
        ({"excluded": False, "exclusion_reason": ExclusionReason.CUSTOMER_BREACH}, "only then"),
    ],
    ids=["not-our-fault-is-the-outages", "no-note", "reason-without-exclusion"],
)
def test_a_contracts_own_exclusion_has_a_customer_reason_and_a_note(fields, error):
    contract = live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [contract], by=None)
    affected = row.affected.get()
    for name, value in fields.items():
        setattr(affected, name, value)
    with pytest.raises(ValidationError) as refused:
        affected.full_clean()
    assert error in str(refused.value) or "not a valid choice" in str(refused.value)


def test_a_contracts_exclusion_is_fixed_once_its_credit_is_granted():
    contract = live()
    row = outage(at(2025, 3, 3, 10), 2 * HOUR)
    outages.affect(row, [contract], by=None)
    claims.decide(claim(row, contract, date(2025, 3, 10)), on=date(2025, 3, 10), by=None)
    affected = row.affected.get()
    affected.excluded, affected.exclusion_reason, affected.exclusion_note = True, ExclusionReason.CUSTOMER_BREACH, "x"
    with pytest.raises(ValidationError, match="A credit was granted for this contract"):
        affected.full_clean()
