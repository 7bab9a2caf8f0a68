"""The month's journal entries (仕訳) for the accounting software, from the month's issued invoices and the
payments received in it, adding up to both to the yen.

One voucher per kind, dated the month's last day; each row is one side of an entry (debit or credit):

=====  ======================  =====================================================================
no.    voucher                 rows
=====  ======================  =====================================================================
1      売上計上 (sales)         Dr 売掛金 the invoices' totals; Cr 売上高 per service and tax rate
                               (the lines before tax); Cr 仮受消費税 per rate (the invoices' tax per
                               rate, rounded once per invoice and rate)
2      入金 (receipts)          Dr 普通預金 the payments received; Cr 売掛金 what they paid on invoices;
                               Cr 前受金 what was kept as customers' credit; Cr 仮受金 what is not matched
3      振込手数料 (fees)         Dr 支払手数料 / Cr 売掛金 the transfer fees payers deducted
4      前受金充当 (credits)      Dr 前受金 / Cr 売掛金 the credits applied to invoices this month
=====  ======================  =====================================================================

Receipts are booked as they are matched when the journal is made: a payment matched later moves from
仮受金 to 売掛金 in a journal made again. Columns: ``COLUMNS``.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from backoffice.exports import DATE, TEXT, YEN, Column
from backoffice.months import Month
from billing.models import Invoice, InvoiceLine, InvoiceTax
from contracts.choices import ServiceCode

from .models import Allocation, AllocationKind, Payment

#: The accounts the entries name, by their role here; ``RECEIVABLES_JOURNAL_ACCOUNTS`` renames any of them to
#: the name the accounting software's chart of accounts uses (e.g. ``bank`` → 当座預金).
ACCOUNTS = {
    "receivable": "売掛金",
    "sales": "売上高",
    "tax": "仮受消費税",
    "bank": "普通預金",
    "credit": "前受金",
    "suspense": "仮受金",
    "fees": "支払手数料",
}
RECEIVABLE, SALES, TAX, BANK, CREDIT, SUSPENSE, FEES = ACCOUNTS
DEBIT, CREDIT_SIDE = "借方", "貸方"

COLUMNS = (
    Column(_("date"), DATE),
    Column(_("voucher"), TEXT),
    Column(_("side"), TEXT),
    Column(_("account"), TEXT),
    Column(_("sub-account"), TEXT),
    Column(_("tax class"), TEXT),
    Column(_("amount (yen)"), YEN),
    Column(_("description"), TEXT),
)


@dataclass(frozen=True)
class Entry:
    voucher: int
    side: str
    account: str
    amount: int
    sub: str = ""
    tax: str = ""
    text: str = ""


def _sales(month: Month) -> Iterator[Entry]:
    invoices = Invoice.objects.filter(month__month=month.first_day, number__isnull=False)
    total = invoices.aggregate(total=Sum("total", default=0))["total"]
    label = f"{month} 売上計上"
    yield Entry(1, DEBIT, RECEIVABLE, total, text=label)
    services = dict(ServiceCode.choices)
    lines = (
        InvoiceLine.objects.filter(invoice__in=invoices)
        .order_by("service_code", "-tax_rate")
        .values_list("service_code", "tax_rate")
        .annotate(amount=Sum("amount"))
    )
    for service, rate, amount in lines:
        yield Entry(1, CREDIT_SIDE, SALES, amount, str(services.get(service, "その他")), f"課税売上{rate}%", label)
    taxes = (
        InvoiceTax.objects.filter(invoice__in=invoices).order_by("-rate").values_list("rate").annotate(tax=Sum("tax"))
    )
    for rate, tax in taxes:
        yield Entry(1, CREDIT_SIDE, TAX, tax, tax=f"{rate}%", text=label)


def _receipts(month: Month) -> Iterator[Entry]:
    received = Payment.objects.filter(received_on__range=(month.first_day, month.last_day))
    total = received.aggregate(total=Sum("amount", default=0))["total"]
    booked = Allocation.objects.live().filter(payment__in=received)
    sums = booked.aggregate(
        paid=Sum("amount", filter=Q(kind=AllocationKind.PAYMENT), default=0),
        kept=Sum("amount", filter=Q(kind=AllocationKind.CREDIT), default=0),
        fees=Sum("amount", filter=Q(kind=AllocationKind.TRANSFER_FEE), default=0),
    )
    label = f"{month} 入金"
    yield Entry(2, DEBIT, BANK, total, text=label)
    yield Entry(2, CREDIT_SIDE, RECEIVABLE, sums["paid"], text=label)
    yield Entry(2, CREDIT_SIDE, CREDIT, sums["kept"], text=label)
    yield Entry(2, CREDIT_SIDE, SUSPENSE, total - sums["paid"] - sums["kept"], text=f"{label} 未消込")
    yield Entry(3, DEBIT, FEES, sums["fees"], tax="課税仕入10%", text=f"{month} 振込手数料 (先方負担分差引)")
    yield Entry(3, CREDIT_SIDE, RECEIVABLE, sums["fees"], text=f"{month} 振込手数料")
    applied = (
        Allocation.objects.live()
        .filter(kind=AllocationKind.CREDIT_APPLIED, booked_on__range=(month.first_day, month.last_day))
        .aggregate(total=Sum("amount", default=0))["total"]
    )
    yield Entry(4, DEBIT, CREDIT, applied, text=f"{month} 前受金充当")
    yield Entry(4, CREDIT_SIDE, RECEIVABLE, applied, text=f"{month} 前受金充当")


def entries(month: Month) -> list[Entry]:
    """The month's entries; rows of nothing are left out. Each voucher's debits equal its credits."""
    return [entry for entry in (*_sales(month), *_receipts(month)) if entry.amount]


def account_names() -> dict[str, str]:
    """Each account's name as the journal writes it: ours, or the one the setting gives."""
    return {**ACCOUNTS, **settings.RECEIVABLES_JOURNAL_ACCOUNTS}


def rows(month: Month) -> Iterator[tuple]:
    names = account_names()
    for e in entries(month):
        yield (
            month.last_day,
            f"{month.first_day:%Y%m}-{e.voucher}",
            e.side,
            names[e.account],
            e.sub,
            e.tax,
            e.amount,
            e.text,
        )
