"""Importing a bank file of payments (全銀協 or CSV): every record checked and reported, then all of
them written or none (a dry run writes none), then the new payments matched automatically.

A file is imported once: its SHA-256 is unique in the database, so the same file again adds nothing
(it is refused, naming when it came). A payment already imported from another file (a statement
overlapping the last one: the same account, bank reference and day) is reported and skipped.
Withdrawals of a statement and cancellations of a transfer notice are reported and not imported.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from backoffice.display import yen

from ..matching import match_unmatched
from ..models import BankFile, FileFormat, Payment, PaymentSource
from ..models.payments import sha256
from ..parsers import csv_file, zengin
from ..parsers.zengin import BankRecord


@dataclass
class ImportReport:
    lines: list[str] = field(default_factory=list)
    refused: int = 0
    skipped: int = 0
    written: int = 0
    matched: int = 0
    dry_run: bool = False
    bank_file: BankFile | None = None

    @property
    def rows(self) -> int:
        return len([line for line in self.lines if "\t" in line])

    def summary(self) -> str:
        counts = _("%(total)s records: %(ok)s to import, %(skipped)s skipped, %(refused)s refused.") % {
            "total": self.rows,
            "ok": self.rows - self.refused - self.skipped,
            "skipped": self.skipped,
            "refused": self.refused,
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


def _known(records: list[BankRecord]) -> set[tuple[str, str, object]]:
    """The (account, reference, day) of the records already imported from another file (one query)."""
    referenced = [r for r in records if r.reference]
    if not referenced:
        return set()
    condition = Q()
    for r in referenced:
        condition |= Q(account=r.account, bank_reference=r.reference, received_on=r.booked_on)
    return set(Payment.objects.filter(condition).values_list("account", "bank_reference", "received_on"))


def _line(record: BankRecord, outcome: str) -> str:
    return "\t".join(
        [str(record.number), record.reference or "-", str(record.booked_on), yen(record.amount), record.payer_name,
         outcome]
    )  # fmt: skip


def import_bank_file(data: bytes, *, name: str, by=None, dry_run: bool = False) -> ImportReport:
    """Check every record of ``data``, then write the file and its payments in one transaction unless one is
    refused or it is a dry run; then match the new payments automatically. ``ValidationError`` when the
    file as a whole is unreadable, broken (its trailer) or was imported before."""
    report = ImportReport(dry_run=dry_run)
    earlier = BankFile.objects.filter(sha256=sha256(data)).first()
    if earlier is not None:
        raise ValidationError(
            _("This file was already imported (%(file)s): importing it again adds nothing.") % {"file": earlier}
        )
    file_format = _format_of(data)
    records = _records(data, file_format)
    known = _known([r for r in records if isinstance(r, BankRecord)])
    to_write, seen = [], set()
    for number, record in enumerate(records, start=1):
        if isinstance(record, ValidationError):
            report.refused += 1
            report.lines.append(f"{number + 1}\t" + _("refused: %(why)s") % {"why": " ".join(record.messages)})
            continue
        ident = (record.account, record.reference, record.booked_on)
        if not record.deposit:
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: a withdrawal")))
        elif record.cancelled:
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: the bank cancels an earlier notice; undo its match by hand")))
        elif record.reference and (ident in known or ident in seen):
            report.skipped += 1
            report.lines.append(_line(record, _("skipped: already imported")))
        elif record.amount <= 0:
            report.refused += 1
            report.lines.append(_line(record, _("refused: no amount")))
        else:
            seen.add(ident)
            to_write.append(record)
            report.lines.append(_line(record, _("ok")))
    if dry_run or report.refused:
        return report
    try:
        payments = _write(data, name, file_format, to_write, by)
    except IntegrityError:  # the same file or payment written meanwhile: the whole file is rolled back
        report.refused = len(to_write)
        report.lines.append(_("The database refused a record (imported meanwhile?): nothing was written."))
        return report
    report.written = len(payments)
    report.bank_file = payments[0].bank_file if payments else None
    report.matched, _left = match_unmatched(payments, by=by)
    return report


@transaction.atomic
def _write(data: bytes, name: str, file_format: str, records: list[BankRecord], by) -> list[Payment]:
    bank_file = BankFile(
        name=name[:200],
        format=file_format,
        content=data,
        account=", ".join(sorted({r.account for r in records if r.account}))[:40],
        payments_count=len(records),
        payments_total=sum(r.amount for r in records),
        imported_by=by,
    )
    bank_file._history_user = by
    bank_file.save()
    source = PaymentSource.CSV if file_format == FileFormat.CSV else PaymentSource.BANK_FILE
    payments = []
    for record in records:
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
            created_by=by,
        )
        payment._history_user = by
        payment._change_reason = _("Imported from %(file)s, record %(row)s") % {"file": name, "row": record.number}
        payment.save()
        payments.append(payment)
    return payments
