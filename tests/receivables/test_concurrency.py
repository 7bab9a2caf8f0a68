"""Matches at once (PostgreSQL): the row locks let one payment pay once, and one invoice be paid once."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from receivables import selectors
from receivables.models import Allocation, InvoiceBalance, Payment
from receivables.services.allocations import match, undo_match
from receivables.services.payments import record_payment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


def _at_once(*calls) -> list:
    """Each call in its own thread and database connection, released together: their results or exceptions."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_one_payment_matched_twice_at_once_pays_once(on_postgres, issue, yamada, sato):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 10_000))
    payment = record_payment(received_on=D(2025, 3, 31), amount=11_000, payer_name="ﾔﾏﾀﾞ")
    outcomes = _at_once(
        lambda: match(payment, [bills[yamada]], reason="a"), lambda: match(payment, [bills[sato]], reason="b")
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "list"], outcomes
    assert Payment.objects.get().allocated == 11_000
    assert Allocation.objects.aggregate(total=Sum("amount"))["total"] == 11_000


def test_two_payments_for_one_invoice_at_once_leave_the_rest_as_credit(on_postgres, issue, yamada):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    first, second = (record_payment(received_on=D(2025, 3, 31), amount=11_000, payer_name="ﾔﾏﾀﾞ") for _ in range(2))
    outcomes = _at_once(lambda: match(first, [bill], reason="a"), lambda: match(second, [bill], reason="b"))
    assert not any(isinstance(o, Exception) and not isinstance(o, ValidationError) for o in outcomes), outcomes
    row = selectors.with_balance(type(bill).objects.filter(pk=bill.pk)).get()
    assert row.settled == 11_000  # paid once: the second payment's money is credit, or refused
    assert selectors.credit_balance(yamada.pk) in (0, 11_000)


def test_an_undo_and_a_match_of_one_invoice_at_once_leave_its_stored_balance_true(on_postgres, issue, yamada):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    first = record_payment(received_on=D(2025, 3, 20), amount=4_000, payer_name="ﾔﾏﾀﾞ")
    match(first, [bill], reason="part")
    second = record_payment(received_on=D(2025, 3, 31), amount=3_000, payer_name="ﾔﾏﾀﾞ")
    outcomes = _at_once(
        lambda: undo_match(first, reason="not theirs"), lambda: match(second, [bill], reason="the rest, in part")
    )
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert InvoiceBalance.objects.get(invoice=bill).owed == 11_000 - 3_000
