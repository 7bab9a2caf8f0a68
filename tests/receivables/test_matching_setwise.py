"""The set-wise automatic match (``match_unmatched``) books what the one-at-a-time match (``match_each``)
books, on the same generated month-end: twins, registered transfer names, legal forms written every way,
transfer fees, runs and sets of invoices, several payments of one customer, names of nobody. Its queries
do not grow with the batch, and every allocation and payment written keeps its history with the user."""

import random
from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from billing.models import BillingMonth, Invoice
from receivables import matching
from receivables.matching import match_each, match_unmatched
from receivables.models import Allocation, Payment, TransferName
from receivables.services import allocations, balances
from receivables.services.payments import record_payment
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

#: Full-width kana as customers register them, and as banks write them (half-width).
SYLLABLES = [("ア", "ｱ"), ("カ", "ｶ"), ("サ", "ｻ"), ("タ", "ﾀ"), ("ナ", "ﾅ"), ("ハ", "ﾊ"), ("マ", "ﾏ"), ("ヤ", "ﾔ"),
             ("ラ", "ﾗ"), ("ガ", "ｶﾞ"), ("ダ", "ﾀﾞ"), ("キ", "ｷ"), ("シ", "ｼ"), ("ト", "ﾄ")]  # fmt: skip
TOTALS = [3_300, 5_500, 11_000, 22_000, 33_000]
_numbers = iter(range(700_000, 800_000))


def kana(rng) -> tuple[str, str]:
    chosen = [rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))]
    return "".join(full for full, _half in chosen), "".join(half for _full, half in chosen)


def invoice(customer, month, total, issued_on) -> Invoice:
    return Invoice(
        customer=customer,
        month=month,
        number=next(_numbers),
        issued_on=issued_on,
        due_on=issued_on.replace(day=28),
        period_start=month.month,
        period_end=issued_on,
        subtotal=total,
        total=total,
        issuer_registration_number="T7123456789012",
    )


def issue(invoices: list[Invoice]) -> None:
    """Store ``invoices`` as a closing leaves them: numbered, each with its balance."""
    Invoice.objects.bulk_create(invoices)
    balances.refresh(row.pk for row in invoices)


def month_end(seed: int, customers: int = 40, payments: int = 70) -> list[Payment]:
    """Customers owing one to three invoices, and the payments of a month-end in their file's order."""
    rng = random.Random(seed)
    months = [BillingMonth.objects.get_or_create(month=D(2031, m, 1))[0] for m in (1, 2, 3)]
    people, invoices = [], []
    for i in range(customers):
        full, half = kana(rng)
        if i % 9 == 8 and people:  # a twin: another customer of the same kana
            full, half = people[-1][1], people[-1][2]
        form = rng.choice(["株式会社", "有限会社", ""])
        customer = f.customer(name=f"{form}テスト{i}" if form else f"テスト{i}", name_kana=full)
        alias = None
        if i % 5 == 0:  # pays under a registered transfer name
            alias_full, alias = kana(rng)
            TransferName.objects.create(customer=customer, name=alias)
        people.append((customer, full, half, alias))
        for month in rng.sample(months, rng.randint(1, 3)):
            day = D(month.month.year, month.month.month, 25)
            invoices.append(invoice(customer, month, rng.choice(TOTALS), day))
    issue(invoices)
    owed = {}
    for row in Invoice.objects.order_by("due_on", "number"):
        owed.setdefault(row.customer_id, []).append(row.total)
    rows = []
    for _n in range(payments):
        customer, _full, half, alias = rng.choice(people)
        totals = owed[customer.pk]
        amount = rng.choice(
            [
                totals[0],  # the oldest invoice
                totals[-1],  # the newest
                totals[0] - rng.choice([440, 660, 880, 1_100]),  # a transfer fee deducted (or too much)
                sum(totals[:2]),  # a run of the oldest
                totals[0] + totals[-1],  # a set
                rng.choice(TOTALS) + 1,  # nothing agrees
            ]
        )
        name = alias if alias and rng.random() < 0.5 else rng.choice([f"ｶ){half}", f"{half}(ｶ", half, f"ﾕ){half}"])
        if rng.random() < 0.05:
            name = "ﾀﾞﾚﾃﾞﾓﾅｲ"
        rows.append(record_payment(received_on=D(2031, 3, 31), amount=max(amount, 1), payer_name=name))
    return rows


def booked() -> list[tuple]:
    """The allocations and the payments as they stand, comparable across two runs on the same rows."""
    return sorted(
        Allocation.objects.values_list("payment_id", "invoice_id", "customer_id", "kind", "amount", "booked_on")
    ) + sorted(Payment.objects.values_list("pk", "allocated", "customer_id"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_set_wise_books_what_one_at_a_time_books(seed, staff):
    payments = month_end(seed)
    with transaction.atomic():
        one_at_a_time = match_each(payments, by=staff)
        expected = booked()
        transaction.set_rollback(True)
    assert not Allocation.objects.exists()
    assert match_unmatched(payments, by=staff, batch_size=16) == one_at_a_time
    assert booked() == expected
    matched, left = one_at_a_time
    assert matched > 10 and left > 10  # the month-end exercises both outcomes


def test_every_allocation_and_payment_written_keeps_its_history_with_the_user(staff):
    payments = month_end(4, customers=12, payments=20)
    matched, _left = match_unmatched(payments, by=staff)
    assert matched
    rows = Allocation.objects.all()
    history = Allocation.history.filter(history_type="+")
    assert history.count() == rows.count()
    assert {(h.history_user, h.history_change_reason) for h in history} == {
        (staff, "Matched automatically: name and amount agree")
    }
    changed = Payment.history.filter(history_type="~", history_user=staff)
    assert sorted(changed.values_list("id", "allocated")) == sorted(
        Payment.objects.filter(allocated__gt=0).values_list("id", "allocated")
    )


def test_an_invoice_paid_under_a_batch_sends_it_one_payment_at_a_time(staff, monkeypatch):
    payments = month_end(5, customers=12, payments=20)
    with transaction.atomic():
        match_each(payments, by=staff)
        expected = booked()
        transaction.set_rollback(True)
    locked_balances = allocations._locked_balances
    calls = []

    def paid_meanwhile(invoice_ids):
        owed = locked_balances(invoice_ids)
        if not calls:  # the batch's read under the lock: one invoice owes less than when it was decided
            next(iter(owed.values())).balance -= 1
        calls.append(invoice_ids)
        return owed

    monkeypatch.setattr(allocations, "_locked_balances", paid_meanwhile)
    spy = []
    monkeypatch.setattr(matching, "match_each", lambda rows, by: spy.append(len(rows)) or match_each(rows, by=by))
    match_unmatched(payments, by=staff)
    assert spy == [20]
    assert booked() == expected


def queries_of(payments, staff, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound) as captured:
        matched, _left = match_unmatched(payments, by=staff)
    return matched, len(captured)


#: One batch: customers' names, lock payments, transfer names, open invoices, lock invoices, balances, the
#: allocations and their history, the payments and their history, the stored balances (lock, read, write and
#: history), the savepoint and its release.
BATCH_QUERIES = 16


def test_a_batch_reads_and_writes_in_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    small = month_end(6, customers=8, payments=4)
    matched_small, count_small = queries_of(small, staff, django_assert_max_num_queries, BATCH_QUERIES)
    large = month_end(7, customers=60, payments=60)
    matched_large, count_large = queries_of(large, staff, django_assert_max_num_queries, BATCH_QUERIES)
    assert matched_small >= 1 and matched_large >= 15
    assert count_small == count_large


def test_a_payment_matched_to_another_customer_is_refused_as_one_at_a_time_refuses_it(staff):
    month = BillingMonth.objects.get_or_create(month=D(2031, 1, 1))[0]
    yamada = f.customer(name="山田商事株式会社", name_kana="ヤマダショウジ")
    sato = f.customer(name="有限会社佐藤工業", name_kana="サトウコウギョウ")
    issue([invoice(yamada, month, 11_000, D(2031, 1, 25)), invoice(sato, month, 5_500, D(2031, 1, 25))])
    first = record_payment(received_on=D(2031, 3, 31), amount=5_500, payer_name="ﾕ)ｻﾄｳｺｳｷﾞﾖｳ")
    odd = record_payment(received_on=D(2031, 3, 31), amount=11_000, payer_name="ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")
    Payment.objects.filter(pk=odd.pk).update(customer=sato)  # as an edit by hand could leave it
    with pytest.raises(ValidationError, match="already matched to another customer"):
        match_unmatched([first, odd], by=staff)
    assert list(Allocation.objects.values_list("payment", "amount")) == [(first.pk, 5_500)]  # the one before stays
