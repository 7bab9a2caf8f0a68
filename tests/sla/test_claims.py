"""sla.services.claims: granted within the deadline, refused after it with the reason and the deadline, once."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backoffice.exceptions import InvalidTransition
from contracts.choices import ServiceCode
from sla.models import Claim, ClaimStatus, Credit, CreditStatus, ExclusionReason
from sla.services import claims, outages

from .builders import at, claim, live, notify, outage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def hit(contract, start, length, **kw):
    row = outage(start, length, **kw)
    outages.affect(row, [contract], by=None)
    return row


@pytest.mark.parametrize(
    ("claimed_on", "granted"),
    [(date(2025, 1, 10), True), (date(2025, 4, 10), True), (date(2025, 4, 11), False)],
)
def test_a_claim_is_granted_through_the_deadline_day_and_refused_after_it(claimed_on, granted, staff):
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(hours=2))
    decided = claim(row, contract, claimed_on)
    credit = claims.decide(decided, on=date(2025, 4, 20), by=staff)
    assert decided.deadline == date(2025, 4, 10)
    assert decided.decided_on == date(2025, 4, 20)
    if granted:
        assert decided.status == ClaimStatus.GRANTED
        assert (credit.availability_amount, credit.notification_amount, credit.status) == (3_000, 0, "granted")
        assert credit.history.get().history_user == staff
    else:
        assert credit is None
        assert decided.status == ClaimStatus.REFUSED
        assert decided.refusal_reason == (
            "Claimed on April 11, 2025, after the deadline April 10, 2025: the right is lost (CXM2 art. 13)."
        )
        assert not Credit.objects.exists()


def test_the_deadline_counts_from_the_day_the_outage_ended_in_japan():
    contract = live(ServiceCode.SMART_HUB)
    row = hit(contract, at(2025, 2, 27, 20), timedelta(hours=5))  # ends 2025-02-28 01:00 Tokyo
    late = claim(row, contract, date(2025, 6, 1))
    claims.decide(late, on=date(2025, 6, 1), by=None)
    assert late.deadline == date(2025, 5, 31)
    assert late.refusal_reason.endswith("(Smart HUB art. 9).")


def test_a_late_notification_keeps_its_own_later_deadline():
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(hours=2))
    notify(row, contract.customer, at(2025, 1, 10, 9), at(2025, 2, 1, 9))  # told three weeks later
    decided = claim(row, contract, date(2025, 4, 20))  # past the outage's deadline, within the notice's
    credit = claims.decide(decided, on=date(2025, 4, 20), by=None)
    assert (credit.availability_amount, credit.notification_amount) == (0, 3_000)
    assert decided.deadline == date(2025, 5, 1)


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (ExclusionReason.CUSTOMER_BREACH, "The customer breached its duties"),
        (ExclusionReason.NOT_OUR_FAULT, "Not the provider's fault"),
        (ExclusionReason.NOTIFIED_SUSPENSION, "General Terms art. 24 ¶2"),
    ],
)
def test_an_excluded_outage_is_refused_naming_the_exclusion(reason, text):
    contract = live()
    row = hit(
        contract, at(2025, 1, 10, 9), timedelta(days=2), excluded=True, exclusion_reason=reason, exclusion_note="n"
    )
    refused = claim(row, contract, date(2025, 1, 20))
    assert claims.decide(refused, on=date(2025, 1, 20), by=None) is None
    assert text in refused.refusal_reason
    assert "CXM2 art. 8" in refused.refusal_reason


def test_a_service_without_a_guarantee_is_refused():
    contract = live(ServiceCode.ISP_PLATFORM)
    row = hit(contract, at(2025, 1, 10, 9), timedelta(days=2))
    refused = claim(row, contract, date(2025, 1, 20))
    claims.decide(refused, on=date(2025, 1, 20), by=None)
    assert refused.refusal_reason.startswith("The service has no quality guarantee")


def test_a_short_outage_notified_in_time_is_refused():
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(minutes=30))
    notify(row, contract.customer, at(2025, 1, 10, 9), at(2025, 1, 10, 9, 30))
    refused = claim(row, contract, date(2025, 1, 20))
    claims.decide(refused, on=date(2025, 1, 20), by=None)
    assert refused.refusal_reason.startswith("No credit: the outage lasted 30 minutes or less")


def test_a_claim_is_decided_once_and_recorded_once():
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(hours=2))
    decided = claim(row, contract, date(2025, 1, 20))
    claims.decide(decided, on=date(2025, 1, 20), by=None)
    with pytest.raises(InvalidTransition):
        claims.decide(decided, on=date(2025, 1, 21), by=None)
    assert Credit.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(affected=decided.affected, claimed_on=date(2025, 1, 21))
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(claim=decided, availability_amount=1, notification_amount=0, granted_on=date(2025, 1, 21))


def test_a_credit_is_never_zero_nor_invoiced_without_its_date():
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(hours=2))
    decided = claim(row, contract, date(2025, 1, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(claim=decided, availability_amount=0, notification_amount=0, granted_on=date(2025, 1, 21))
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(
            claim=decided,
            availability_amount=1,
            notification_amount=0,
            granted_on=date(2025, 1, 21),
            status=CreditStatus.INVOICED,
        )


def test_a_claim_before_the_outage_is_refused_by_the_form_rule():
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(hours=2))
    early = Claim(affected=row.affected.get(), claimed_on=date(2025, 1, 9))
    with pytest.raises(ValidationError, match="after the outage started"):
        early.full_clean()


def test_a_contract_excluded_on_its_own_is_refused_naming_its_exclusion():
    contract = live()
    row = hit(contract, at(2025, 1, 10, 9), timedelta(days=2))
    affected = row.affected.get()
    affected.excluded, affected.exclusion_reason, affected.exclusion_note = True, "notified_suspension", "notice 1/5"
    affected.save()
    outages.recompute(row, by=None)
    refused = claim(row, contract, date(2025, 1, 20))
    assert claims.decide(refused, on=date(2025, 1, 20), by=None) is None
    assert refused.refusal_reason.startswith("The contract is excluded from this outage's credits: Suspension")
