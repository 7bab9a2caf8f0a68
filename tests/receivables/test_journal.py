"""The month's journal adds up to its invoices and payments to the yen, in CSV and Excel."""

import csv
from datetime import date as D

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Sum

from backoffice.months import Month
from billing.models import Invoice
from receivables import checks, journal
from receivables.models import Payment
from receivables.services.allocations import apply_credits, match
from receivables.services.payments import record_payment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def march(issue, yamada, sato):
    """March 2025's invoices (issued at its close) and the payments received in March: one exact, one over
    (credit), one short by a fee, one not matched; and a credit applied."""
    issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    bills = issue(2025, 3, (yamada, 20_000), (sato, 3_000))
    pay = lambda amount, name: record_payment(received_on=D(2025, 3, 31), amount=amount, payer_name=name)  # noqa: E731
    match(pay(25_000, "ﾔﾏﾀﾞ"), [bills[yamada]], reason="x")  # 22,000 + 3,000 credit
    match(pay(2_970, "ｻﾄｳ"), [bills[sato]], reason="x")  # 3,300 less a 330 fee
    pay(1_234, "ﾀﾅｶ")  # not matched
    apply_credits(yamada.pk)
    return bills


def by_account(entries, side):
    sums = {}
    for e in entries:
        if e.side == side:
            sums[e.account] = sums.get(e.account, 0) + e.amount
    return sums


def test_the_journal_adds_up_to_the_invoices_and_payments(march):
    month = Month(2025, 3)
    entries = journal.entries(month)
    for voucher in {e.voucher for e in entries}:
        of = [e for e in entries if e.voucher == voucher]
        assert sum(e.amount for e in of if e.side == "借方") == sum(e.amount for e in of if e.side == "貸方"), voucher
    invoices = Invoice.objects.filter(month__month=D(2025, 3, 1)).aggregate(
        subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total")
    )
    debit, credit = by_account(entries, "借方"), by_account(entries, "貸方")
    assert credit[journal.SALES] == invoices["subtotal"] == 23_000
    assert credit[journal.TAX] == invoices["tax"] == 2_300
    received = Payment.objects.filter(received_on__month=3).aggregate(total=Sum("amount"))["total"]
    assert debit[journal.BANK] == received == 25_000 + 2_970 + 1_234
    assert credit[journal.SUSPENSE] == 1_234 and debit[journal.FEES] == 330
    assert credit[journal.CREDIT] == 3_000 and debit[journal.CREDIT] == 3_000  # kept, then applied to February's 11,000
    assert debit[journal.RECEIVABLE] == invoices["total"]
    assert credit[journal.RECEIVABLE] == 22_000 + 2_970 + 330 + 3_000


def test_csv_and_excel(march, tmp_path):
    call_command("export_journal", month="2025-03", output=str(tmp_path / "j.csv"))
    with (tmp_path / "j.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["date", "voucher", "side", "account", "sub-account", "tax class", "amount (yen)", "description"]
    assert rows[1][:4] == ["2025-03-31", "202503-1", "借方", "売掛金"]
    call_command("export_journal", month="2025-03", format="xlsx", output=str(tmp_path / "j.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "j.xlsx").worksheets[0]
    amounts = [row[6].value for row in sheet.iter_rows(min_row=2)]
    assert sum(amounts) == sum(int(row[6]) for row in rows[1:])


def test_the_accounts_take_the_names_of_the_accounting_softwares_chart(march, tmp_path, settings):
    settings.RECEIVABLES_JOURNAL_ACCOUNTS = {"bank": "当座預金", "fees": "支払手数料(振込)"}
    call_command("export_journal", month="2025-03", output=str(tmp_path / "j.csv"))
    with (tmp_path / "j.csv").open(encoding="utf-8-sig") as f:
        accounts = {row[3] for row in csv.reader(f)}
    assert {"当座預金", "支払手数料(振込)", "売掛金", "売上高"} <= accounts
    assert not {"普通預金", "支払手数料"} & accounts


def test_an_unknown_account_in_the_setting_is_a_configuration_error(settings):
    settings.RECEIVABLES_JOURNAL_ACCOUNTS = {"bnak": "当座預金", "sales": ""}
    errors = {error.id: error.msg for error in checks.journal_accounts()}
    assert set(errors) == {"receivables.E001", "receivables.E002"}
    assert "bnak" in errors["receivables.E001"] and "sales" in errors["receivables.E002"]
