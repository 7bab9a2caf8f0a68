"""Builders of the SLA tests: live contracts with a round base monthly fee, outages, notifications, claims."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from contracts.choices import ServiceCode
from contracts.models import Contract
from contracts.services import lifecycle
from sla.models import Claim, FailureNotification, Outage
from sla.services import claims, outages
from tests import factories as f

FEE = 90_000


def at(*args) -> datetime:
    """A moment in Japan time."""
    return timezone.make_aware(datetime(*args))


def live(service=ServiceCode.CXM2, customer=None, fee=FEE, **kw) -> Contract:
    """A live contract: accepted through the lifecycle (its frozen fee then set round)."""
    contract = f.contract(service, customer, **kw)
    lifecycle.accept(contract, on=date(2025, 1, 10), by=None)
    Contract.objects.filter(pk=contract.pk).update(monthly_fee=fee)
    contract.refresh_from_db()
    return contract


def outage(start: datetime, length: timedelta, **kw) -> Outage:
    row = Outage(started_at=start, ended_at=start + length, cause=kw.pop("cause", "router failure"), **kw)
    row.full_clean()
    row.save()
    return row


def notify(row: Outage, customer, detected_at, notified_at, contract=None) -> FailureNotification:
    notice = FailureNotification(
        outage=row, customer=customer, contract=contract, detected_at=detected_at, notified_at=notified_at
    )
    notice.full_clean()
    notice.save()
    outages.recompute(row, by=None)
    return notice


def claim(row: Outage, contract, on) -> Claim:
    return Claim.objects.create(affected=row.affected.get(contract=contract), claimed_on=on)


# One row of each model, for the admin's smoke and hostile-input tests.


def an_outage() -> Outage:
    return outage(at(2025, 3, 3, 10), timedelta(hours=2))


def an_affected_contract():
    row = an_outage()
    outages.affect(row, [live()], by=None)
    return row.affected.get()


def a_claim() -> Claim:
    affected = an_affected_contract()
    return Claim.objects.create(affected=affected, claimed_on=date(2025, 3, 10))


def a_credit():
    return claims.decide(a_claim(), on=date(2025, 3, 10), by=None)
