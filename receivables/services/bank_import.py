"""Importing a bank file of payments (全銀協 or CSV): every record checked and reported, then all of
them written or none (a dry run writes none), then the new payments matched automatically.

A file is imported once: its SHA-256 is unique in the database, so the same file again adds nothing
(it is refused, naming when it came). A payment is imported once, whichever file brings it again:

- a record with a bank reference (照会番号) is known by its account, reference and day — the account and
  the reference spelled one way for both 全銀協 layouts (7- or 10-digit account numbers, N6 or N8
  照会番号), and a CSV row names its account in its own column, so equal references at two banks are two
  payments;
- a deposit already imported from the other kind of 全銀協 file (a 振込入金通知 and the statement of the
  same account) is recognised by account, day, amount and payer, one record for one payment;
- a record without a reference is recognised by account, day, amount and payer: the n-th equal record of
  a file is the n-th equal payment, so a later overlapping file repeats what was imported and adds only
  what is new, and two equal rows in one file stay two payments (the database holds this too).

Withdrawals are reported and not imported. When the bank takes money back — a 振込入金通知 record with
取消区分 1, or a statement's 取引区分 19 (訂正) withdrawal — the payment it names is marked taken back and its
match undone with that reason; when no single payment is it, the record is held for a person, named in
the report. A 訂正 deposit corrects an earlier withdrawal and is no customer's payment.
"""

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from backoffice.display import yen
from backoffice.names import key

from ..matching import match_unmatched
from ..models import BankFile, FileFormat, Payment, PaymentSource
from ..models.payments import sha256
from ..parsers import csv_file, zengin
from ..parsers.zengin import BankRecord
from .allocations import undo_match

#: How far back a statement's correction (訂正) looks for the deposit it takes back.
CORRECTION_REACH = timedelta(days=62)


@dataclass
class ImportReport:
    lines: list[str] = field(default_factory=list)
    refused: int = 0
    skipped: int = 0
    written: int = 0
    matched: int = 0
    taken_back: int = 0
    held: int = 0
    dry_run: bool = False
    bank_file: BankFile | None = None

    @property
    def rows(self) -> int:
        return len([line for line in self.lines if "\t" in line])

    def summary(self) -> str:
        counts = _("%(total)s records: %(ok)s to import, %(skipped)s skipped, %(refused)s refused.") % {
            "total": self.rows,
            "ok": self.rows - self.refused - self.skipped - self.taken_back,
            "skipped": self.skipped,
            "refused": self.refused,
        }
        if self.taken_back or self.held:
            counts += " " + _("%(back)s payments taken back by the bank, %(held)s held for a person.") % {
                "back": self.taken_back,
                "held": self.held,
            }
        if self.dry_run:
            return f"{counts} " + _("Dry run: nothing was written.")
        if self.refused:
            return f"{counts} " + _("Nothing was written: fix the file and import it again.")
        return f"{counts} " + _("%(written)s payments written, %(matched)s matched automatically.") % {
            "written": self.written,
            "matched": self.matched,
        }


def _format_of(data: bytes) -> str:
    if data[:1] == b"1" and data[1:3] == zengin.TRANSFER_NOTICE.encode():
        return FileFormat.TRANSFER_NOTICE
    if data[:1] == b"1" and data[1:3] == zengin.STATEMENT.encode():
        return FileFormat.STATEMENT
    return FileFormat.CSV


def _records(data: bytes, file_format: str) -> list[BankRecord | ValidationError]:
    if file_format == FileFormat.CSV:
        return csv_file.parse(data)
    return zengin.parse(data).records


def _line(record: BankRecord, outcome: str) -> str:
    payer = "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cc" else c for c in record.payer_name)
    return "\t".join(
        [str(record.number), record.reference or "-", str(record.booked_on), yen(record.amount), payer, outcome]
    )


def _refusal(record: BankRecord) -> str:
    """Why the payment a deposit record would become cannot be, by the rules of its fields (``Payment``: a day
    within the dates the product accepts, an amount within a payment's, a payer's name without NUL), or "".
    A withdrawal, a cancellation or a correction brings no payment of its own: nothing to check."""
    if not record.deposit or record.cancelled or record.correction:
        return ""
    problems = []
    values = {
        "received_on": record.booked_on,
        "value_on": record.value_on,
        "amount": record.amount,
        "payer_name": record.payer_name,
    }
    for name, value in values.items():
        field = Payment._meta.get_field(name)
        try:
            field.run_validators(value)
        except ValidationError as refused:
            problems.append(f"{field.verbose_name}: {' '.join(refused.messages)}")
    return "; ".join(problems)


def _where(payment: Payment) -> str:
    if payment.bank_file_id is None:
        return str(payment)
    return _("%(file)s, record %(row)s") % {"file": payment.bank_file.name, "row": payment.row}


class _Known:
    """The payments already in the database that this file's records may repeat or take back (a few queries)."""

    def __init__(self, records: list[BankRecord], file_format: str):
        self.file_format = file_format
        accounts = {r.account for r in records}
        days = {r.booked_on for r in records}
        # A cancellation names its payment's reference, whatever day that came: those references of those
        # accounts, in one condition of two lists (one per record would outgrow SQLite's expression tree).
        cancelling = [r for r in records if r.cancelled and r.reference]
        condition = Q(account__in={r.account for r in cancelling}, bank_reference__in={r.reference for r in cancelling})
        if days:
            earliest = min(days) - CORRECTION_REACH
            condition |= Q(account__in=accounts, received_on__gte=earliest, received_on__lte=max(days))
        payments = Payment.objects.filter(condition).exclude(source=PaymentSource.MANUAL).select_related("bank_file")
        self.by_ref, self.by_content, self.by_amount = defaultdict(list), defaultdict(list), defaultdict(list)
        for p in payments.order_by("id"):
            self.by_ref[p.account, p.bank_reference].append(p)
            self.by_content[p.account, p.received_on, p.amount, p.payer_key].append(p)
            self.by_amount[p.account, p.amount].append(p)
        self.claimed: set[int] = set()

    def by_reference(self, record: BankRecord, *, any_day=False) -> Payment | None:
        for p in self.by_ref.get((record.account, record.reference), []) if record.reference else []:
            if any_day or p.received_on == record.booked_on:
                return p
        return None

    def unreferenced(self, record: BankRecord, occurrence: int) -> Payment | None:
        for p in self.by_content.get((record.account, record.booked_on, record.amount, key(record.payer_name)), []):
            if not p.bank_reference and p.occurrence == occurrence:
                return p
        return None

    def from_the_other_layout(self, record: BankRecord) -> Payment | None:
        """The same deposit imported from the other kind of 全銀協 file of this account (each taken once)."""
        if self.file_format == FileFormat.CSV or not record.account:
            return None
        for p in self.by_content.get((record.account, record.booked_on, record.amount, key(record.payer_name)), []):
            other = p.bank_file is not None and p.bank_file.format not in (self.file_format, FileFormat.CSV)
            if other and p.pk not in self.claimed:
                self.claimed.add(p.pk)
                return p
        return None

    def taken_back_by(self, record: BankRecord) -> list[Payment]:
        """The payments a cancellation or a correction may take back: by reference first, else by amount
        (and payer, when the record names one) before its day."""
        if record.reference and record.cancelled:
            found = self.by_reference(record, any_day=True)
            if found is not None and not found.taken_back:
                return [found]
        payer = key(record.payer_name) if record.payer_name else None
        return [
            p
            for p in self.by_amount.get((record.account, record.amount), [])
            if not p.taken_back
            and p.pk not in self.claimed
            and record.booked_on - CORRECTION_REACH <= p.received_on <= record.booked_on
            and (payer is None or p.payer_key == payer)
        ]


#: How often the records' check tells its progress.
PROGRESS_EVERY = 100


def import_bank_file(data: bytes, *, name: str, by=None, dry_run: bool = False, progress=None) -> ImportReport:
    """Check every record of ``data``, then write the file and its payments in one transaction unless one is
    refused or it is a dry run; then match the new payments automatically. ``ValidationError`` when the
    file as a whole is unreadable, broken (its trailer) or was imported before.

    ``progress(done, total)`` is told as it goes: the records checked, then the payments matched, each
    counted as one step of ``total`` (the records twice, a check and a match each; once in a dry run)."""
    report = ImportReport(dry_run=dry_run)
    earlier = BankFile.objects.filter(sha256=sha256(data)).first()
    if earlier is not None:
        raise ValidationError(
            _("This file was already imported (%(file)s): importing it again adds nothing.") % {"file": earlier}
        )
    file_format = _format_of(data)
    records = _records(data, file_format)
    readable = [r for r in records if isinstance(r, BankRecord)]
    refusals = {r.number: why for r in readable if (why := _refusal(r))}
    known = _Known([r for r in readable if r.number not in refusals], file_format)
    to_write: list[tuple[BankRecord, int]] = []
    take_back: list[tuple[BankRecord, Payment]] = []
    seen, equal = set(), Counter()
    total = len(records) if dry_run else 2 * len(records)
    for number, record in enumerate(records, start=1):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, total)
        if isinstance(record, ValidationError):
            report.refused += 1
            report.lines.append(f"{number + 1}\t" + _("refused: %(why)s") % {"why": " ".join(record.messages)})
            continue
        ident = (record.account, record.reference, record.booked_on)
        if record.cancelled or (record.correction and not record.deposit):
            report.lines.append(_line(record, _take_back(record, known, to_write, take_back, report)))
        elif record.correction:
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: a correction (訂正) of an earlier withdrawal, no payment")))
        elif not record.deposit:
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: a withdrawal")))
        elif record.number in refusals:
            report.refused += 1
            report.lines.append(_line(record, _("refused: %(why)s") % {"why": refusals[record.number]}))
        elif record.reference and ident in seen:
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: the same bank reference as a record above")))
        elif record.reference and (earlier := known.by_reference(record) or known.from_the_other_layout(record)):
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: already imported (%(where)s)") % {"where": _where(earlier)}))
        elif not record.reference and (
            earlier := known.unreferenced(record, occurrence := _next(equal, record))
            or known.from_the_other_layout(record)
        ):
            report.skipped += 1
            report.lines.append(
                _line(record, _("skipped: repeats %(where)s (no bank reference: same account, day, amount, payer)")
                      % {"where": _where(earlier)})
            )  # fmt: skip
        else:
            seen.add(ident)
            to_write.append((record, occurrence if not record.reference else 1))
            report.lines.append(_line(record, _("ok")))
    if progress:
        progress(len(records), total)
    if dry_run or report.refused:
        return report
    try:
        payments = _write(data, name, file_format, to_write, take_back, by, report)
    except IntegrityError:  # the same file or payment written meanwhile: the whole file is rolled back
        report.refused = len(to_write)
        report.lines.append(_("The database refused a record (imported meanwhile?): nothing was written."))
        return report
    report.written = len(payments)

    def matching(done: int) -> None:  # the payments' share of the second half
        if progress:
            progress(len(records) + done * len(records) // max(len(payments), 1), total)

    report.matched, _left = match_unmatched(payments, by=by, progress=matching)
    return report


def _next(equal: Counter, record: BankRecord) -> int:
    """The how-manyth equal record (account, day, amount, payer) this one is in its file, from 1."""
    ident = (record.account, record.booked_on, record.amount, key(record.payer_name))
    equal[ident] += 1
    return equal[ident]


def _take_back(record: BankRecord, known: _Known, to_write: list, take_back: list, report: ImportReport) -> str:
    """What a cancellation (取消区分 1) or a correction (訂正 withdrawal) takes back: a record above in this
    file, or the one payment imported before; held for a person when there is none or more than one."""
    for i, (above, _occurrence) in enumerate(to_write):
        same = (above.reference == record.reference) if record.cancelled and record.reference else True
        if same and (above.account, above.amount) == (record.account, record.amount):
            del to_write[i]
            report.skipped += 1
            report.lines[[line.split("\t")[0] for line in report.lines].index(str(above.number))] = _line(
                above, _("skipped: taken back by record %(row)s of this file") % {"row": record.number}
            )
            return _("takes back record %(row)s of this file") % {"row": above.number}
    candidates = known.taken_back_by(record)
    if len(candidates) == 1:
        known.claimed.add(candidates[0].pk)
        take_back.append((record, candidates[0]))
        report.taken_back += 1
        return _("takes back %(where)s: its match is undone") % {"where": _where(candidates[0])}
    report.held += 1
    report.skipped += 1
    return _(
        "held for a person: the bank takes back %(amount)s, and %(count)s earlier payments could be it; "
        "find it and undo its match by hand"
    ) % {"amount": yen(record.amount), "count": len(candidates)}


def _reason(record: BankRecord, name: str) -> str:
    if record.cancelled:
        return _("Cancelled by the bank (取消区分 1): %(file)s, record %(row)s") % {"file": name, "row": record.number}
    return _("Corrected by the bank (取引区分 19 訂正): %(file)s, record %(row)s") % {
        "file": name,
        "row": record.number,
    }


@transaction.atomic
def _write(data, name, file_format, records, take_back, by, report) -> list[Payment]:
    bank_file = BankFile(
        name=name[:200],
        format=file_format,
        content=data,
        account=", ".join(sorted({r.account for r, _o in records if r.account}))[:40],
        payments_count=len(records),
        payments_total=sum(r.amount for r, _o in records),
        imported_by=by,
    )
    bank_file._history_user = by
    bank_file.save()
    report.bank_file = bank_file
    source = PaymentSource.CSV if file_format == FileFormat.CSV else PaymentSource.BANK_FILE
    payments = []
    for record, occurrence in records:
        payment = Payment(
            source=source,
            bank_file=bank_file,
            row=record.number,
            account=record.account,
            bank_reference=record.reference,
            received_on=record.booked_on,
            value_on=record.value_on,
            amount=record.amount,
            payer_name=record.payer_name,
            payer_code=record.payer_code,
            occurrence=occurrence,
            created_by=by,
        )
        payment._history_user = by
        payment._change_reason = _("Imported from %(file)s, record %(row)s") % {"file": name, "row": record.number}
        payment.save()
        payments.append(payment)
    for record, payment in take_back:
        reason = _reason(record, name)
        payment.refresh_from_db()
        if payment.allocated:
            try:
                undo_match(payment, reason=reason, by=by)
            except ValidationError as refused:  # its credit already pays invoices: a person undoes those first
                report.taken_back -= 1
                report.held += 1
                report.lines.append(
                    _("Record %(row)s is held for a person: %(why)s")
                    % {"row": record.number, "why": " ".join(refused.messages)}
                )
                continue
            payment.refresh_from_db()
        payment.taken_back = reason
        payment._history_user = by
        payment._change_reason = reason
        payment.save()
    return payments
