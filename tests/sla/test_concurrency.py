"""Concurrent decisions on PostgreSQL: a claim decided twice at once grants once; two claims of one month
share the cap instead of each seeing the whole fee."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from backoffice.exceptions import InvalidTransition
from sla.models import Claim, Credit
from sla.services import claims, outages

from .builders import FEE, at, claim, live, outage


def _race(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append("granted" if call() else "refused")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_one_claim_decided_twice_at_once_grants_one_credit(on_postgres):
    contract = live()
    row = outage(at(2025, 3, 3, 10), timedelta(hours=2))
    outages.affect(row, [contract], by=None)
    pk = claim(row, contract, date(2025, 3, 10)).pk

    def decide():
        return claims.decide(Claim.objects.get(pk=pk), on=date(2025, 3, 10), by=None)

    assert _race(decide, decide) == ["granted", "refused"]
    assert Credit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_claims_of_one_month_decided_at_once_stay_under_the_cap(on_postgres):
    contract = live()
    rows = [outage(at(2025, 3, day), timedelta(days=20)) for day in (1, 5)]  # each worth the whole fee
    pks = []
    for row in rows:
        outages.affect(row, [contract], by=None)
        pks.append(claim(row, contract, date(2025, 4, 1)).pk)

    def decider(pk):
        return lambda: claims.decide(Claim.objects.get(pk=pk), on=date(2025, 4, 1), by=None)

    assert _race(*map(decider, pks)) == ["granted", "refused"]
    assert sum(credit.amount for credit in Credit.objects.all()) == FEE
