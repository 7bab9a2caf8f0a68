"""A posted journal: written once with voucher numbers, exported the same every time (CSV, Excel, 弥生会計),
later changes booked in the month they happen, and refused where the rules say."""

import csv
import io
from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from backoffice.months import Month
from billing.models import Invoice
from receivables import journal
from receivables.models import JournalBatch, JournalLine, Payment
from receivables.services.allocations import apply_credits, match, undo_match
from receivables.services.journal import post_month
from receivables.services.payments import record_payment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def march(issue, yamada, sato):
    issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    bills = issue(2025, 3, (yamada, 20_000), (sato, 3_000))
    pay = lambda amount, name: record_payment(received_on=D(2025, 3, 31), amount=amount, payer_name=name)  # noqa: E731
    match(pay(25_000, "ﾔﾏﾀﾞ"), [bills[yamada]], reason="x")  # 22,000 + 3,000 credit
    pay(3_300, "ｻﾄｳ")  # not matched in March
    apply_credits(yamada.pk)
    return bills


def signed(lines, account):
    return sum(line.amount if line.side == "借方" else -line.amount for line in lines if line.account == account)


def export(month, fmt, tmp_path, **options):
    target = tmp_path / f"j.{fmt}"
    call_command("export_journal", month=month, format=fmt, output=str(target), stderr=io.StringIO(), **options)
    return target.read_bytes()


def test_posting_writes_the_month_once_with_voucher_numbers(march, staff):
    batch = post_month(Month(2025, 3), by=staff)
    assert post_month(Month(2025, 3)).pk == batch.pk and JournalBatch.objects.count() == 1
    lines = journal.posted(batch)
    assert {line.voucher for line in lines} == set(range(batch.first_voucher, batch.last_voucher + 1))
    assert batch.first_voucher == 1 and batch.debit_total == batch.credit_total > 0
    for voucher in {line.voucher for line in lines}:
        of = [line for line in lines if line.voucher == voucher]
        assert sum(e.amount for e in of if e.side == "借方") == sum(e.amount for e in of if e.side == "貸方")
    assert batch.history.get().history_user == staff
    # February, before the first posted month, is kept as opening figures: never exported
    opening = JournalLine.objects.filter(batch=batch, voucher__isnull=True)
    assert signed(opening, journal.RECEIVABLE) == 16_500
    first = JournalLine.objects.filter(batch=batch, voucher=1).order_by("line").first()
    assert str(first) == f"1 借方 売掛金 {first.amount:,}"  # as the admin titles it: the chart's name


def test_a_posted_journal_never_changes(march):
    batch = post_month(Month(2025, 3))
    with pytest.raises(ValidationError):
        batch.save()
    with pytest.raises(ValidationError):
        batch.delete()
    with pytest.raises(ValidationError):
        JournalLine.objects.filter(batch=batch).update(amount=1)
    with pytest.raises(ValidationError):
        JournalBatch.objects.all().delete()
    line = JournalLine.objects.first()
    with pytest.raises(ValidationError):
        line.save()


def test_later_changes_are_booked_in_the_month_they_happen(march, sato, tmp_path):
    post_month(Month(2025, 3))
    before = {fmt: export("2025-03", fmt, tmp_path) for fmt in ("csv", "yayoi")}
    late = Payment.objects.get(amount=3_300)
    match(late, [march[sato]], reason="matched in April")  # received in March, matched after it was posted
    assert {fmt: export("2025-03", fmt, tmp_path) for fmt in ("csv", "yayoi")} == before  # as posted
    assert journal.preview(Month(2025, 3)) != journal.posted(JournalBatch.objects.get())  # the books moved
    april = post_month(Month(2025, 4))
    assert april.first_voucher == JournalBatch.objects.get(month=D(2025, 3, 1)).last_voucher + 1
    late_lines = [line for line in april.lines.all() if line.late]
    assert {(line.side, line.account, line.amount) for line in late_lines} == {
        ("借方", journal.SUSPENSE, 3_300),
        ("貸方", journal.RECEIVABLE, 3_300),
    }
    assert all("過月分" in line.text for line in late_lines)
    undo_match(late, reason="wrong customer")  # undone in May: May books it back
    may = post_month(Month(2025, 5))
    assert {(line.side, line.account, line.amount) for line in may.lines.filter(late=True)} == {
        ("貸方", journal.SUSPENSE, 3_300),
        ("借方", journal.RECEIVABLE, 3_300),
    }
    # what was posted, opening figures included, is the books through May as they stand now
    books = journal.entries_between(None, D(2025, 5, 31))
    for account in journal.ACCOUNTS:
        assert signed(JournalLine.objects.all(), account) == signed(books, account), account


def test_months_are_posted_in_order_after_their_end_and_their_closing(march, today, issue, yamada):
    post_month(Month(2025, 3))
    with pytest.raises(ValidationError, match="March 2025 is already posted"):
        post_month(Month(2025, 2))
    with pytest.raises(ValidationError, match="Post April 2025 first"):
        post_month(Month(2025, 5))
    today(D(2025, 4, 30))
    with pytest.raises(ValidationError, match="not over yet"):
        post_month(Month(2025, 4))
    today(D(2025, 5, 1))
    from tests.billing.helpers import bill

    bill(2025, 4)  # billed, not closed
    with pytest.raises(ValidationError, match="not closed"):
        post_month(Month(2025, 4))


def test_the_yayoi_import_file(march, tmp_path, settings):
    settings.RECEIVABLES_JOURNAL_ACCOUNTS = {"bank": "当座預金"}
    data = export("2025-03", "yayoi", tmp_path, post=True)
    assert data.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    assert {len(row) for row in rows} == {25}
    batch = JournalBatch.objects.get()
    by_voucher = {}
    for row in rows:
        by_voucher.setdefault(row[1], []).append(row)
    assert set(by_voucher) == {str(n) for n in range(batch.first_voucher, batch.last_voucher + 1)}
    for number, of in by_voucher.items():
        flags = [row[0] for row in of]
        assert flags == (["2111"] if len(of) == 1 else ["2110", *["2100"] * (len(of) - 2), "2101"]), number
        assert sum(int(row[8]) for row in of) == sum(int(row[14]) for row in of), number
        assert all(row[3] == "2025/03/31" and row[19] == "0" and row[24] == "no" for row in of)
    accounts = {row[4] for row in rows} | {row[10] for row in rows}
    assert "当座預金" in accounts and "売掛金" in accounts
    sales = [row for row in rows if row[10] == "売上高"]
    assert sales and all(row[13] == "課税売上10%" for row in sales)
    excel = export("2025-03", "xlsx", tmp_path)
    assert excel[:2] == b"PK"


def test_the_database_refuses_changing_a_posted_journal(march):
    from django.db import IntegrityError, transaction

    post_month(Month(2025, 3))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE receivables_journalline SET amount = 1")


def test_a_negative_invoice_is_moved_to_credit_in_the_posted_journal(issue, yamada):
    issue(2025, 3, (yamada, 10_000))
    negative = issue(2025, 4, (yamada, -30_000))[yamada]
    batch = post_month(Month(2025, 4))  # credits it first, and spends it on March's invoice
    assert Invoice.objects.get(pk=negative.pk).total == -33_000
    lines = journal.posted(batch)
    assert {(e.side, e.account, e.amount) for e in lines if e.text.endswith("前受金振替")} == {
        ("借方", journal.RECEIVABLE, 33_000),
        ("貸方", journal.CREDIT, 33_000),
    }
    assert {(e.side, e.account, e.amount) for e in lines if e.text.endswith("前受金充当")} == {
        ("借方", journal.CREDIT, 11_000),
        ("貸方", journal.RECEIVABLE, 11_000),
    }


def test_a_late_bank_file_and_a_credit_applied_late_are_booked_in_the_next_month(march, yamada, issue):
    post_month(Month(2025, 3))
    late = record_payment(received_on=D(2025, 3, 28), amount=5_000, payer_name="ﾔﾏﾀﾞ")  # a file imported in April
    feb = Invoice.objects.get(customer=yamada, month__month=D(2025, 2, 1))
    match(late, [], customer=yamada, reason="kept as credit")  # 5,000 of credit, received in March
    apply_credits(yamada.pk)  # spent on February's invoice, booked on March 28
    assert feb.allocations.filter(kind="credit_applied", booked_on=D(2025, 3, 28)).exists()
    april = post_month(Month(2025, 4))
    late_lines = {(line.kind, line.side, line.account, line.amount) for line in april.lines.filter(late=True)}
    assert late_lines == {
        (2, "借方", journal.BANK, 5_000),
        (2, "貸方", journal.CREDIT, 5_000),
        (4, "借方", journal.CREDIT, 5_000),
        (4, "貸方", journal.RECEIVABLE, 5_000),
    }
    assert len({line.voucher for line in april.lines.filter(late=True)}) == 2  # one 過月分 voucher per kind
