"""A negative invoice is credit the customer holds (前受金): spent on the next invoice or refunded, shown in
the receivables, and the journal's 売掛金 and 前受金 agree with the receivables and the credit held, any day."""

import io
from datetime import date as D
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Sum

from billing.models import Invoice
from receivables import journal, selectors
from receivables.models import Allocation
from receivables.models import AllocationKind as K
from receivables.services.allocations import match, undo_match
from receivables.services.credits import credit_held, credit_negative_invoices
from receivables.services.payments import record_payment
from receivables.services.refunds import record_refund

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ACCOUNT = {
    "bank_code": "0005",
    "bank_name": "ﾐﾂﾋﾞｼﾕｰｴﾌｼﾞｪｲ",
    "branch_code": "123",
    "branch_name": "ｼﾌﾞﾔ",
    "account_type": "1",
    "account_number": "1234567",
    "account_holder": "ﾔﾏﾀﾞｼｮｳｼﾞ(ｶ",
}


def balance(invoice):
    return selectors.with_balance(Invoice.objects.filter(pk=invoice.pk)).get().balance


def test_a_negative_invoice_becomes_credit_spent_on_the_next_invoice(issue, yamada, staff):
    negative = issue(2025, 3, (yamada, -15_000))[yamada]  # an SLA credit larger than the month: -16,500
    assert negative.total == -16_500
    credit = credit_negative_invoices(by=staff)
    assert [(a.kind, a.amount, a.invoice) for a in credit] == [(K.CREDIT, 16_500, negative)]
    assert credit[0].booked_on == negative.issued_on and credit[0].history.get().history_user == staff
    assert balance(negative) == 0 and credit_held(yamada.pk) == 16_500
    assert credit_negative_invoices() == []  # once per invoice
    april = issue(2025, 4, (yamada, 10_000))[yamada]  # 11,000
    with pytest.raises(CommandError, match="not delivered"):  # no e-mail address: the rest is done
        call_command("receivables_daily", stdout=io.StringIO(), stderr=io.StringIO())
    spent = Allocation.objects.get(kind=K.CREDIT_APPLIED)
    assert (spent.invoice, spent.amount, spent.booked_on) == (april, 11_000, april.issued_on)
    assert balance(april) == 0 and credit_held(yamada.pk) == 5_500


def test_a_refund_spends_the_credit_oldest_first_and_is_refused_beyond_it(issue, yamada, sato, staff):
    bill = issue(2025, 3, (yamada, 10_000))[yamada]
    match(record_payment(received_on=D(2025, 3, 31), amount=14_000, payer_name="ﾔﾏﾀﾞ"), [bill], reason="x")
    issue(2025, 4, (yamada, -2_000))
    credit_negative_invoices()
    assert credit_held(yamada.pk) == 3_000 + 2_200
    with pytest.raises(ValidationError, match="holds 5,200 yen"):
        record_refund(customer=yamada, amount=5_201, transfer_on=D(2025, 5, 9), reason="x", **ACCOUNT)
    with pytest.raises(ValidationError, match="why"):
        record_refund(customer=yamada, amount=100, transfer_on=D(2025, 5, 9), reason=" ", **ACCOUNT)
    refund = record_refund(
        customer=yamada, amount=4_000, transfer_on=D(2025, 5, 9), reason="Asked by phone", by=staff, **ACCOUNT
    )
    assert [(p.credit.payment_id is not None, p.amount) for p in refund.parts.order_by("id")] == [
        (True, 3_000),
        (False, 1_000),
    ]
    assert credit_held(yamada.pk) == 1_200 and selectors.credit_balance(yamada.pk) == 1_200
    assert refund.history.get().history_user == staff
    with pytest.raises(ValidationError):
        refund.save()
    with pytest.raises(ValidationError):
        refund.delete()
    # the payment whose credit was refunded cannot be unmatched any more
    with pytest.raises(ValidationError):
        undo_match(bill.allocations.get(kind=K.PAYMENT).payment, reason="x")


def test_the_receivables_list_shows_a_negative_invoice_settled_by_its_credit(issue, yamada):
    negative = issue(2025, 3, (yamada, -1_000))[yamada]
    assert balance(negative) == -1_100  # not yet held: what it owes the customer
    credit_negative_invoices()
    row = selectors.with_balance(Invoice.objects.filter(pk=negative.pk)).get()
    assert (row.balance, row.payment_state) == (0, "paid")
    assert selectors.aging(D(2025, 4, 30))["total"] == 0


def ledger_agrees(day):
    books = journal.balances(day)
    listed = selectors.with_balance(selectors.issued().filter(issued_on__lte=day), on=day).aggregate(
        total=Sum("balance", default=0)
    )["total"]
    assert books.get(journal.RECEIVABLE, 0) == listed, day
    assert books.get(journal.RECEIVABLE, 0) == selectors.aging(day)["total"], day
    assert -books.get(journal.CREDIT, 0) == credit_held(on=day), day


def test_on_any_day_the_journal_agrees_with_the_receivables_and_the_credit_held(issue, yamada, sato):
    issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    march = issue(2025, 3, (yamada, 20_000), (sato, -8_000))  # sato: a correction larger than the month
    pay = lambda amount, name, on: record_payment(received_on=on, amount=amount, payer_name=name)  # noqa: E731
    feb = Invoice.objects.get(customer=yamada, month__month=D(2025, 2, 1))
    match(pay(14_000, "ﾔﾏﾀﾞ", D(2025, 3, 5)), [feb], reason="x")  # 11,000 + 3,000 credit
    pay(999, "ﾀﾅｶ", D(2025, 3, 6))  # never matched
    match(pay(10_000, "ﾔﾏﾀﾞ", D(2025, 4, 10)), [march[yamada]], reason="x")  # partly
    credit_negative_invoices()  # sato's -8,800 becomes credit and pays February's 5,500
    record_refund(customer=sato, amount=1_000, transfer_on=D(2025, 4, 20), reason="x", **ACCOUNT)
    day = D(2025, 2, 1)
    while day <= D(2025, 5, 31):
        ledger_agrees(day)
        day += timedelta(days=3)
    ledger_agrees(D(2025, 4, 20))
    assert credit_held(on=D(2025, 5, 1)) == credit_held()  # nothing refunded later than recorded
