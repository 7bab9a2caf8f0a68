"""Two runs of one month at once (PostgreSQL): they take turns on the month's lock and write one result."""

import threading
from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from billing.closing import close_month
from billing.models import BillingMonth, Invoice, InvoiceLine
from billing.run import billing_month, plan, run_month
from tests import factories as f

from .helpers import in_service


def _at_once(*targets) -> list:
    """Start ``targets`` together, each in its own thread and connection; their results or exceptions."""
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def work(target):
        try:
            barrier.wait()
            outcomes.append(target())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_one_set_of_invoices(on_postgres):
    for _ in range(6):
        cust = f.customer()
        in_service(cust=cust, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
        in_service(cust=cust, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 3))  # its initial fee in February
    run = lambda: run_month(billing_month(2025, 2))  # noqa: E731
    outcomes = _at_once(run, run)
    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert sum(outcome.lines_created for outcome in outcomes) == InvoiceLine.objects.count() == 6 * 3
    assert sum(outcome.invoices_created for outcome in outcomes) == Invoice.objects.count() == 6
    assert BillingMonth.objects.count() == 1
    assert InvoiceLine.history.count() == 18 and Invoice.history.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_run_and_a_closing_at_once_never_issue_an_incomplete_month(on_postgres):
    for _ in range(4):
        in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    month = billing_month(2025, 2)
    run_month(month)
    late = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 2, 20))
    outcomes = _at_once(
        lambda: run_month(BillingMonth.objects.get(pk=month.pk)),
        lambda: close_month(BillingMonth.objects.get(pk=month.pk), issued_on=D(2025, 3, 1)),
    )
    month.refresh_from_db()
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    if month.is_closed:  # the run went first: the close issued everything it wrote
        assert refused == []
        assert not InvoiceLine.objects.filter(invoice__number__isnull=True).exists()
    else:  # the close went first and found the month stale: nothing was issued; the run then made it current
        assert len(refused) == 1 and isinstance(refused[0], ValidationError)
        assert not Invoice.objects.filter(number__isnull=False).exists()
        assert plan(month).is_current
    assert InvoiceLine.objects.filter(contract=late).exists()  # the late contract is on the month either way
