"""Matching payments to issued invoices (消込) through the services, on both databases: automatic when
name and amount agree, by hand otherwise; partial payments, several invoices, fees, credits, undo."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.models import BillingMonth, Invoice
from receivables import selectors
from receivables.matching import Matcher, match_unmatched
from receivables.models import Allocation, InvoiceState, Payment, TransferName
from receivables.models import AllocationKind as K
from receivables.services.allocations import apply_credits, match, undo_credit_applied, undo_match
from receivables.services.payments import record_payment
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def pay(amount, name, on=D(2025, 3, 31)):
    return record_payment(received_on=on, amount=amount, payer_name=name)


def state(invoice):
    row = selectors.with_balance(Invoice.objects.filter(pk=invoice.pk)).get()
    return row.payment_state, row.balance


def test_exact_amount_and_kana_name_match_automatically(issue, yamada, staff):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]  # 11,000 with tax
    payment = pay(11_000, "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")
    assert match_unmatched([payment], by=staff) == (1, 0)
    assert state(bill) == (InvoiceState.PAID, 0)
    payment.refresh_from_db()
    assert (payment.allocated, payment.customer, payment.state) == (11_000, yamada, "matched")
    allocation = Allocation.objects.get()
    assert allocation.history.get().history_user == staff


def test_the_shortfall_within_the_tolerance_is_booked_as_the_transfer_fee(issue, yamada):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    match_unmatched([pay(10_340, "ﾔﾏﾀﾞｼｮｳｼﾞ(ｶ")])
    assert state(bill) == (InvoiceState.PAID, 0)
    assert dict(Allocation.objects.values_list("kind", "amount")) == {K.PAYMENT: 10_340, K.TRANSFER_FEE: 660}


def test_one_payment_for_several_invoices_matches_the_set(issue, yamada):
    first = issue(2025, 2, (yamada, 10_000))[yamada]
    second = issue(2025, 3, (yamada, 20_000))[yamada]
    match_unmatched([pay(33_000, "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ", on=D(2025, 4, 30))])
    assert state(first) == (InvoiceState.PAID, 0)
    assert state(second) == (InvoiceState.PAID, 0)


def test_a_name_of_two_customers_or_a_wrong_amount_waits_on_the_worklist(issue, yamada):
    twin = f.customer(name="ヤマダショウジ株式会社", name_kana="ヤマダショウジ")
    issue(2025, 2, (yamada, 10_000), (twin, 10_000))
    assert match_unmatched([pay(11_000, "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")]) == (0, 1)
    assert match_unmatched([pay(5_000, "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")]) == (0, 1)
    assert not Allocation.objects.exists()


def test_candidates_rank_name_and_amount_first(issue, yamada, sato):
    issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    payment = pay(5_500, "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")  # yamada's name, sato's amount
    ranked = Matcher().candidates(payment)
    assert [c.customer for c in ranked] == [yamada, sato]
    assert (ranked[0].name_score, ranked[0].amount_agrees) == (90, False)
    assert (ranked[1].amount_agrees, ranked[1].name_score < 40) == (True, True)


def test_a_partial_payment_leaves_the_invoice_partly_paid_then_the_rest_pays_it(issue, yamada, staff):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    match(pay(4_000, "ﾔﾏﾀﾞ"), [bill], by=staff, reason="by hand", teach=True)
    assert state(bill) == (InvoiceState.PARTLY_PAID, 7_000)
    # the name was learned: the next payment under it matches automatically
    assert TransferName.objects.get(customer=yamada).name == "ﾔﾏﾀﾞ"
    assert match_unmatched([pay(7_000, "ﾔﾏﾀﾞ")]) == (1, 0)
    assert state(bill) == (InvoiceState.PAID, 0)


def test_an_overpayment_is_kept_as_credit_and_pays_the_next_invoice(issue, yamada, staff):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    match(pay(15_000, "ﾔﾏﾀﾞ"), [bill], by=staff, reason="by hand")
    assert state(bill) == (InvoiceState.PAID, 0)
    assert selectors.credit_balance(yamada.pk) == 4_000
    following = issue(2025, 3, (yamada, 10_000))[yamada]
    [applied] = apply_credits(yamada.pk, by=staff)
    assert (applied.kind, applied.amount, applied.credit.credit_used) == (K.CREDIT_APPLIED, 4_000, 4_000)
    assert state(following) == (InvoiceState.PARTLY_PAID, 7_000)
    assert selectors.credit_balance(yamada.pk) == 0
    assert apply_credits(yamada.pk) == []  # nothing left: applying again books nothing


def test_undo_with_a_reason_keeps_the_rows_and_reopens_the_invoice(issue, yamada, staff):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    payment = pay(10_340, "ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")
    match_unmatched([payment])
    with pytest.raises(ValidationError):
        undo_match(payment, reason=" ", by=staff)
    assert undo_match(payment, reason="wrong customer", by=staff) == 2
    assert state(bill) == (InvoiceState.UNPAID, 11_000)
    payment.refresh_from_db()
    assert (payment.allocated, payment.customer) == (0, None)
    rows = Allocation.objects.all()
    assert len(rows) == 2 and all(not row.live and row.undo_reason == "wrong customer" for row in rows)
    assert rows[0].history.first().history_change_reason == "wrong customer"
    with pytest.raises(ValidationError):
        rows[0].delete()


def test_a_credit_spent_is_undone_before_the_payment_it_came_from(issue, yamada, staff):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    payment = pay(15_000, "ﾔﾏﾀﾞ")
    match(payment, [bill], reason="by hand")
    issue(2025, 3, (yamada, 1_000))
    [applied] = apply_credits(yamada.pk)
    with pytest.raises(ValidationError, match="undo those credits applied first"):
        undo_match(payment, reason="wrong", by=staff)
    undo_credit_applied(applied, reason="wrong", by=staff)
    assert selectors.credit_balance(yamada.pk) == 4_000
    undo_match(payment, reason="wrong", by=staff)
    assert selectors.credit_balance(yamada.pk) == 0


def test_only_issued_invoices_and_each_allocation_to_its_invoices_customer(issue, yamada, sato):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 1_000))
    written = match(pay(12_200, "ﾔﾏﾀﾞ"), [bills[yamada], bills[sato]], reason="by hand")  # a group's payment
    assert [(row.kind, row.customer, row.amount) for row in written] == [
        (K.PAYMENT, yamada, 11_000),
        (K.PAYMENT, sato, 1_100),
        (K.CREDIT, yamada, 100),  # the rest is the payer's: the first invoice's customer
    ]
    month = BillingMonth.objects.create(month=D(2030, 1, 1))
    draft = Invoice.objects.create(customer=yamada, month=month, period_start=D(2030, 1, 1), period_end=D(2030, 1, 31))
    with pytest.raises(ValidationError, match="not issued"):
        match(pay(1_000, "ﾔﾏﾀﾞ"), [draft], reason="by hand")


def test_the_database_refuses_allocating_beyond_the_payment(yamada):
    payment = pay(1_000, "ﾔﾏﾀﾞ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(allocated=1_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(payment=payment, customer=yamada, kind=K.CREDIT, amount=0, booked_on=D(2025, 3, 31))
