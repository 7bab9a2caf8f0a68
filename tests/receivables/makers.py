"""One more row of each receivables model, for the admin's smoke, export and hostile-input tests.

An issued invoice is inserted numbered into an open month (what closing writes, its balance included,
without the closing: billing's tests cover that); a payment is matched to it through the service."""

import itertools
from datetime import date

from backoffice.months import Month
from billing.models import BillingMonth, Invoice
from receivables.models import (
    Allocation,
    BankFile,
    DunningNotice,
    InvoiceDelivery,
    JournalBatch,
    Payment,
    Receivable,
    Refund,
    TransferName,
)
from receivables.services import balances
from receivables.services.allocations import match
from receivables.services.journal import post_month
from receivables.services.payments import record_payment
from receivables.services.refunds import record_refund
from tests import factories as f

_numbers = itertools.count(900_000)


def receivable() -> Receivable:
    month, _created = BillingMonth.objects.get_or_create(month=date(2031, 1, 1))
    invoice = Invoice.objects.create(
        customer=f.customer(name_kana="テスト"),
        month=month,
        number=next(_numbers),
        issued_on=date(2031, 1, 31),
        due_on=date(2031, 2, 28),
        period_start=date(2031, 1, 1),
        period_end=date(2031, 1, 31),
        subtotal=1_000,
        tax=100,
        total=1_100,
        issuer_registration_number="T7123456789012",
    )
    balances.refresh([invoice.pk])
    return Receivable.objects.get(pk=invoice.pk)


def payment() -> Payment:
    return record_payment(received_on=date(2031, 2, 27), amount=1_100, payer_name="ﾃｽﾄ")


def allocation() -> Allocation:
    invoice = receivable()
    return match(payment(), [invoice], reason="test")[0]


def bank_file() -> BankFile:
    return BankFile.objects.create(name=f"file{next(_numbers)}.txt", format="csv", content=f"{next(_numbers)}".encode())


def transfer_name() -> TransferName:
    return TransferName.objects.create(customer=f.customer(), name=f"ﾃｽﾄ{next(_numbers)}")


def dunning_notice() -> DunningNotice:
    return DunningNotice.objects.create(invoice=receivable(), step=7, owed=1_100, queued_on=date(2031, 3, 8))


def invoice_delivery() -> InvoiceDelivery:
    return InvoiceDelivery.objects.create(invoice=receivable(), method="email")


def refund() -> Refund:
    """A refund of the credit left by a payment of 2,000 yen more than its invoice."""
    invoice = receivable()
    paid = record_payment(received_on=date(2031, 2, 27), amount=3_100, payer_name="ﾃｽﾄ")
    match(paid, [invoice], reason="test")
    return record_refund(
        customer=invoice.customer, amount=2_000, transfer_on=date(2031, 3, 10), reason="test", bank_code="0001",
        bank_name="ﾐｽﾞﾎ", branch_code="001", branch_name="ﾎﾝﾃﾝ", account_type="1", account_number="1234567",
        account_holder="ﾃｽﾄ",
    )  # fmt: skip


def journal_batch() -> JournalBatch:
    """The month after the last one posted (from January 2001: long before any invoice of these makers)."""
    last = JournalBatch.objects.order_by("-month").first()
    return post_month(Month.of(last.month).shifted(1) if last else Month(2001, 1))


MAKERS = {
    Refund: refund,
    JournalBatch: journal_batch,
    InvoiceDelivery: invoice_delivery,
    DunningNotice: dunning_notice,
    Receivable: receivable,
    Payment: payment,
    Allocation: allocation,
    BankFile: bank_file,
    TransferName: transfer_name,
}
