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
5      前受金振替 (negative)     Dr 売掛金 / Cr 前受金 the negative invoices held as the customers' credit
6      返金 (refunds)           Dr 前受金 / Cr 普通預金 the credit refunded by transfer this month
=====  ======================  =====================================================================

``entries`` counts the month as the books stand now. What accounting received is the posted journal
(``services.journal.post_month``): written once with voucher numbers, it books what changed since in
earlier months (a late match, an undo, a late bank file, a credit applied late) in the month it is posted
for, as a voucher of its own (過月分). Columns: ``COLUMNS``; 弥生会計's import layout: ``yayoi_rows``.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from backoffice.display import month_text
from backoffice.exports import DATE, TEXT, YEN, Column, csv_lines, write_xlsx
from backoffice.months import Month
from billing.models import Invoice, InvoiceLine, InvoiceTax
from contracts.choices import ServiceCode

from .accounts import ACCOUNTS, BANK, CREDIT, FEES, RECEIVABLE, SALES, SUSPENSE, TAX, account_names  # noqa: F401  (named with the journal)
from .models import Allocation, AllocationKind, JournalBatch, Payment, Refund

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


def book_month(value) -> str:
    """A month as the entries' texts write it, in the books' language whoever asks: 2026年11月."""
    with translation.override(settings.LANGUAGE_CODE):
        return month_text(value)


def _sales(invoices, label: str) -> Iterator[Entry]:
    total = invoices.aggregate(total=Sum("total", default=0))["total"]
    yield Entry(1, DEBIT, RECEIVABLE, total, text=label)
    with translation.override(settings.LANGUAGE_CODE):  # the books name services the same whoever asks
        services = {code: str(label) for code, label in ServiceCode.choices}
    lines = (
        InvoiceLine.objects.filter(invoice__in=invoices)
        .order_by("service_code", "-tax_rate")
        .values_list("service_code", "tax_rate")
        .annotate(amount=Sum("amount"))
    )
    for service, rate, amount in lines:
        yield Entry(1, CREDIT_SIDE, SALES, amount, services.get(service, "その他"), f"課税売上{rate}%", label)
    taxes = (
        InvoiceTax.objects.filter(invoice__in=invoices).order_by("-rate").values_list("rate").annotate(tax=Sum("tax"))
    )
    for rate, tax in taxes:
        yield Entry(1, CREDIT_SIDE, TAX, tax, tax=f"{rate}%", text=label)


def _within(field: str, first: date | None, last: date) -> Q:
    return Q(**{f"{field}__range": (first, last)}) if first else Q(**{f"{field}__lte": last})


def _moves(first: date | None, last: date, label: str) -> Iterator[Entry]:
    received = Payment.objects.filter(_within("received_on", first, last))
    total = received.aggregate(total=Sum("amount", default=0))["total"]
    booked = Allocation.objects.live().filter(payment__in=received)
    sums = booked.aggregate(
        paid=Sum("amount", filter=Q(kind=AllocationKind.PAYMENT), default=0),
        kept=Sum("amount", filter=Q(kind=AllocationKind.CREDIT), default=0),
        fees=Sum("amount", filter=Q(kind=AllocationKind.TRANSFER_FEE), default=0),
    )
    yield Entry(2, DEBIT, BANK, total, text=f"{label} 入金")
    yield Entry(2, CREDIT_SIDE, RECEIVABLE, sums["paid"], text=f"{label} 入金")
    yield Entry(2, CREDIT_SIDE, CREDIT, sums["kept"], text=f"{label} 入金")
    yield Entry(2, CREDIT_SIDE, SUSPENSE, total - sums["paid"] - sums["kept"], text=f"{label} 入金 未消込")
    yield Entry(3, DEBIT, FEES, sums["fees"], tax="課税仕入10%", text=f"{label} 振込手数料 (先方負担分差引)")
    yield Entry(3, CREDIT_SIDE, RECEIVABLE, sums["fees"], text=f"{label} 振込手数料")
    dated = Allocation.objects.live().filter(_within("booked_on", first, last))
    applied = dated.filter(kind=AllocationKind.CREDIT_APPLIED).aggregate(total=Sum("amount", default=0))["total"]
    yield Entry(4, DEBIT, CREDIT, applied, text=f"{label} 前受金充当")
    yield Entry(4, CREDIT_SIDE, RECEIVABLE, applied, text=f"{label} 前受金充当")
    negative = (
        dated.filter(kind=AllocationKind.CREDIT, invoice__isnull=False).aggregate(total=Sum("amount", default=0))
    )["total"]
    yield Entry(5, DEBIT, RECEIVABLE, negative, text=f"{label} マイナス請求の前受金振替")
    yield Entry(5, CREDIT_SIDE, CREDIT, negative, text=f"{label} マイナス請求の前受金振替")
    refunded = (
        Refund.objects.live().filter(_within("transfer_on", first, last)).aggregate(total=Sum("amount", default=0))
    )
    yield Entry(6, DEBIT, CREDIT, refunded["total"], text=f"{label} 前受金返金")
    yield Entry(6, CREDIT_SIDE, BANK, refunded["total"], text=f"{label} 前受金返金")


def entries(month: Month) -> list[Entry]:
    """The month's entries as the books stand now; rows of nothing are left out. Each voucher's debits equal
    its credits."""
    return entries_between(month.first_day, month.last_day, label=book_month(month))


def entries_between(first: date | None, last: date, *, label: str = "", by_issue: bool = False) -> list[Entry]:
    """The entries of the days ``first``–``last`` (None: from the beginning) as the books stand now. Sales
    are those of the billing months in the range, or, ``by_issue``, of the invoices issued in it (what the
    receivables list counts on a day)."""
    invoices = Invoice.objects.filter(number__isnull=False)
    invoices = invoices.filter(_within("issued_on", first, last) if by_issue else _within("month__month", first, last))
    label = label or book_month(last)
    found = (*_sales(invoices, f"{label} 売上計上"), *_moves(first, last, label))
    return [_positive(entry) for entry in found if entry.amount]


def _positive(entry: Entry) -> Entry:
    """A negative amount (a month of negative invoices) written on the other side."""
    if entry.amount >= 0:
        return entry
    side = CREDIT_SIDE if entry.side == DEBIT else DEBIT
    return Entry(entry.voucher, side, entry.account, -entry.amount, entry.sub, entry.tax, entry.text)


def balances(on: date) -> dict[str, int]:
    """Each account's balance on ``on`` from every entry up to that day (debit positive)."""
    totals: dict[str, int] = {}
    for e in entries_between(None, on, by_issue=True):
        totals[e.account] = totals.get(e.account, 0) + (e.amount if e.side == DEBIT else -e.amount)
    return totals


@dataclass(frozen=True)
class Line:
    """One line of an exported journal: an entry with its date and voucher number."""

    date: date
    voucher: int | str
    side: str
    account: str
    sub: str
    tax: str
    amount: int
    text: str


def preview(month: Month) -> list[Line]:
    """The month's entries as the books stand now, not posted: vouchers numbered ``YYYYMM-kind``."""
    return [
        Line(month.last_day, f"{month.first_day:%Y%m}-{e.voucher}", e.side, e.account, e.sub, e.tax, e.amount, e.text)
        for e in entries(month)
    ]


def posted(batch) -> list[Line]:
    """A posted month's lines as posted (the opening figures left out): the same every time."""
    rows = batch.lines.filter(voucher__isnull=False).order_by("line")
    return [Line(r.date, r.voucher, r.side, r.account, r.sub, r.tax, r.amount, r.text) for r in rows]


def table(lines: list[Line]) -> Iterator[tuple]:
    """The rows of the CSV and Excel export (``COLUMNS``), the accounts named as the setting says."""
    names = account_names()
    for e in lines:
        yield (e.date, str(e.voucher), e.side, names[e.account], e.sub, e.tax, e.amount, e.text)


def month_lines(month: Month) -> list[Line]:
    """The month's journal as accounting gets it: its posted batch when posted (the same every time), else
    its figures as the books stand now."""
    batch = JournalBatch.objects.filter(month=month.first_day).first()
    return posted(batch) if batch else preview(month)


#: The formats a journal is exported in, by name: the export form's choices and how a job's page reads them.
FORMATS = {"csv": "CSV", "xlsx": "Excel", "yayoi": _("Yayoi Kaikei import (journal)")}


def export(lines: list[Line], fmt: str, *, sheet: str) -> bytes:
    """``lines`` as a file of format ``fmt`` (``FORMATS``): ``yayoi`` is 弥生会計's import layout."""
    if fmt == "yayoi":
        return yayoi_csv(lines)
    if fmt == "xlsx":
        out = io.BytesIO()
        write_xlsx(out, COLUMNS, table(lines), sheet=sheet)
        return out.getvalue()
    return "".join(csv_lines(COLUMNS, table(lines))).encode("utf-8")


#: 弥生会計's import layout (弥生インポート形式, 仕訳日記帳・振替伝票), 25 columns, no header row:
#: 識別フラグ, 伝票No., 決算, 取引日付, 借方勘定科目, 借方補助科目, 借方部門, 借方税区分, 借方金額, 借方税金額,
#: 貸方勘定科目, 貸方補助科目, 貸方部門, 貸方税区分, 貸方金額, 貸方税金額, 摘要, 番号, 期日, タイプ, 生成元,
#: 仕訳メモ, 付箋1, 付箋2, 調整. A voucher of one row is 2111; of several, 2110 (first), 2100, 2101 (last).
YAYOI_COLUMNS = 25
YAYOI_MAX = 999_999_999  # 金額: up to 9 digits, never negative


def _yayoi_tax(tax: str) -> str:
    """Our tax classes that are 弥生's 税区分 (課税売上10%, 課税仕入10%); the rest (a rate on 仮受消費税) blank."""
    return tax if tax.startswith("課税") else ""


def yayoi_rows(lines: list[Line]) -> Iterator[list[str]]:
    """Each voucher as 弥生's 振替伝票 rows: its debits and credits side by side, row by row."""
    names = account_names()
    vouchers: dict = {}
    for line in lines:
        if line.amount > YAYOI_MAX:
            raise ValueError(f"{line.amount} exceeds 弥生会計's 9 digits")
        vouchers.setdefault(line.voucher, []).append(line)
    for voucher, of in vouchers.items():
        debits = [e for e in of if e.side == DEBIT]
        credits = [e for e in of if e.side == CREDIT_SIDE]
        count = max(len(debits), len(credits))
        for i in range(count):
            flag = "2111" if count == 1 else "2110" if i == 0 else "2101" if i == count - 1 else "2100"
            dr = debits[i] if i < len(debits) else None
            cr = credits[i] if i < len(credits) else None
            first = dr or cr
            number = str(voucher) if str(voucher).isdigit() else ""
            yield [
                flag, number, "", f"{first.date:%Y/%m/%d}",
                names[dr.account] if dr else "", dr.sub if dr else "", "", _yayoi_tax(dr.tax) if dr else "",
                str(dr.amount if dr else 0), "",
                names[cr.account] if cr else "", cr.sub if cr else "", "", _yayoi_tax(cr.tax) if cr else "",
                str(cr.amount if cr else 0), "",
                first.text, "", "", "0", "", "", "0", "0", "no",
            ]  # fmt: skip


def yayoi_csv(lines: list[Line]) -> bytes:
    """The 弥生 import file: Shift_JIS (cp932), comma-separated, CRLF, a field quoted only when it must be."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(yayoi_rows(lines))
    return out.getvalue().encode("cp932")
