"""The stored balance of each issued invoice (``InvoiceBalance``): made by the closing that issues it, moved by
every match, undo and credit (the receivables tests' own check, ``stored_balances_agree``, compares them
with the allocations after each test), and made for the invoices issued before it existed by its migration."""

from datetime import date as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from receivables import selectors
from receivables.models import InvoiceBalance
from receivables.services.allocations import apply_credits, match
from receivables.services.credits import credit_negative_invoices
from receivables.services.payments import record_payment

BEFORE = [("receivables", "0006_posted_journal_immutable")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db
def test_a_closing_gives_each_invoice_it_issues_its_total_as_owed(issue, yamada, sato):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    assert dict(InvoiceBalance.objects.values_list("invoice", "owed")) == {
        bills[yamada].pk: 11_000,
        bills[sato].pk: 5_500,
    }


@pytest.mark.django_db
def test_a_payment_a_credit_and_a_negative_invoice_move_the_stored_balances(issue, yamada, staff):
    first = issue(2025, 2, (yamada, 10_000))[yamada]
    match(record_payment(received_on=D(2025, 3, 10), amount=15_000, payer_name="ﾔﾏﾀﾞ"), [first], reason="over")
    refund = issue(2025, 3, (yamada, -3_000))[yamada]
    assert InvoiceBalance.objects.get(invoice=refund).owed == -3_300
    credit_negative_invoices(by=staff)
    later = issue(2025, 4, (yamada, 20_000))[yamada]
    apply_credits(yamada.pk, by=staff)  # the credits held (4,000 + 3,300) are spent on the next invoice
    owed = dict(InvoiceBalance.objects.values_list("invoice", "owed"))
    assert owed == {first.pk: 0, refund.pk: 0, later.pk: 22_000 - 4_000 - 3_300}
    assert list(selectors.open_invoices().values_list("pk", "balance")) == [(later.pk, 14_700)]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_the_invoices_issued_before_it_their_balances(issue, yamada, sato):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    match(record_payment(received_on=D(2025, 3, 10), amount=4_000, payer_name="ﾔﾏﾀﾞ"), [bills[yamada]], reason="p")
    expected = dict(InvoiceBalance.objects.values_list("invoice", "owed"))
    assert expected == {bills[yamada].pk: 7_000, bills[sato].pk: 5_500}
    try:
        _migrate(BEFORE)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("receivables"))
    assert dict(InvoiceBalance.objects.values_list("invoice", "owed")) == expected
