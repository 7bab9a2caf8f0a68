"""Refunding a customer's credit (返金) and the bank's transfer request file for it (全銀協 総合振込).

The file: fixed records of 120 bytes (JIS 8-bit: half-width kana, digits, capitals; here Shift_JIS, which
encodes them in one byte each), each ended by CR LF — a header, one data record per transfer, a trailer
with the count and total, an end record. N fields are right-aligned and zero-filled, C fields
left-aligned and space-filled. The layout, field by field, is ``HEADER``, ``DATA``, ``TRAILER``, ``END``
(the published 全銀協制定フォーマット 総合振込; see docs/receivables.md for the source)."""

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.moves import save_audited

from .. import selectors
from ..models import Allocation, Refund, RefundCancellation, RefundPart

#: (field, kind N/C, width) of each record, in order; each record is 120 bytes.
HEADER = (
    ("データ区分", "N", 1),  # 1
    ("種別コード", "N", 2),  # 21: 総合振込
    ("コード区分", "N", 1),  # 0: JIS
    ("振込依頼人コード", "N", 10),
    ("振込依頼人名", "C", 40),
    ("振込指定日", "N", 4),  # MMDD
    ("仕向銀行番号", "N", 4),
    ("仕向銀行名", "C", 15),
    ("仕向支店番号", "N", 3),
    ("仕向支店名", "C", 15),
    ("預金種目(依頼人)", "N", 1),
    ("口座番号(依頼人)", "N", 7),
    ("ダミー", "C", 17),
)
DATA = (
    ("データ区分", "N", 1),  # 2
    ("被仕向銀行番号", "N", 4),
    ("被仕向銀行名", "C", 15),
    ("被仕向支店番号", "N", 3),
    ("被仕向支店名", "C", 15),
    ("手形交換所番号", "N", 4),  # unused: 0
    ("預金種目", "N", 1),
    ("口座番号", "N", 7),
    ("受取人名", "C", 30),
    ("振込金額", "N", 10),
    ("新規コード", "N", 1),  # 0
    ("顧客コード1", "N", 10),
    ("顧客コード2", "N", 10),
    ("振込指定区分", "N", 1),  # 7: 電信
    ("識別表示", "C", 1),
    ("ダミー", "C", 7),
)
TRAILER = (("データ区分", "N", 1), ("合計件数", "N", 6), ("合計金額", "N", 12), ("ダミー", "C", 101))
END = (("データ区分", "N", 1), ("ダミー", "C", 119))
RECORD = 120
TRANSFER_MAX = 9_999_999_999  # 振込金額 N(10)


def _field(value, kind: str, width: int) -> bytes:
    if kind == "N":
        text = str(value or 0)
        if not text.isdigit() or len(text) > width:
            raise ValidationError(
                _("%(value)s does not fit a number of %(width)s digits.") % {"value": value, "width": width}
            )
        return text.zfill(width).encode("ascii")
    data = str(value or "").encode("cp932")
    if len(data) > width:
        data = data[:width]  # names are cut to the field, as banks do
    return data.ljust(width, b" ")


def record(layout, values: Sequence) -> bytes:
    """One record of ``layout`` from its ``values`` (one per field), 120 bytes."""
    data = b"".join(_field(value, kind, width) for (_name, kind, width), value in zip(layout, values, strict=True))
    assert len(data) == RECORD, len(data)
    return data


def origin() -> dict:
    """Our account the transfers leave from (振込依頼人), setting ``RECEIVABLES_REFUND_ACCOUNT``."""
    return settings.RECEIVABLES_REFUND_ACCOUNT


def transfer_file(refunds: Sequence[Refund], transfer_on: date) -> bytes:
    """The 総合振込 file of ``refunds`` (all transferred on ``transfer_on``), CR LF after each record."""
    ours = origin()
    if any(refund.transfer_on != transfer_on for refund in refunds):
        raise ValidationError(_("A transfer file holds the refunds of one transfer date."))
    cancelled = [refund for refund in refunds if hasattr(refund, "cancellation")]
    if cancelled:
        raise ValidationError(
            _("A cancelled refund is not transferred: %(refunds)s.") % {"refunds": ", ".join(map(str, cancelled))}
        )
    lines = [
        record(HEADER, (1, 21, 0, ours["code"], ours["name"], f"{transfer_on:%m%d}", ours["bank_code"],
                        ours["bank_name"], ours["branch_code"], ours["branch_name"], ours["account_type"],
                        ours["account_number"], "")),
    ]  # fmt: skip
    for refund in refunds:
        if refund.amount > TRANSFER_MAX:
            raise ValidationError(_("A transfer is at most 9,999,999,999 yen."))
        lines.append(
            record(DATA, (2, refund.bank_code, refund.bank_name, refund.branch_code, refund.branch_name, 0,
                          refund.account_type, refund.account_number, refund.account_holder, refund.amount, 0,
                          refund.customer.code if str(refund.customer.code).isdigit() else 0, refund.pk, 7, "", ""))
        )  # fmt: skip
    lines.append(record(TRAILER, (8, len(refunds), sum(r.amount for r in refunds), "")))
    lines.append(record(END, (9, "")))
    return b"".join(line + b"\r\n" for line in lines)


@transaction.atomic
def record_refund(*, customer, amount: int, transfer_on: date, reason: str, by=None, **account) -> Refund:
    """Refund ``amount`` of the customer's credit to their bank ``account`` (bank_code, bank_name,
    branch_code, branch_name, account_type, account_number, account_holder) on ``transfer_on``: the credits
    are locked and drawn oldest first; refused beyond the credit they hold."""
    if not reason.strip():
        raise ValidationError(_("Say why the credit is refunded."))
    credits = list(selectors.credits_left(customer.pk).select_for_update(of=("self",)))
    held = sum(credit.amount - credit.credit_used for credit in credits)
    if amount <= 0 or amount > held:
        raise ValidationError(
            _("The customer holds %(held)s yen of credit: a refund is more than 0 and at most that.")
            % {"held": f"{held:,}"}
        )
    refund = Refund(customer=customer, amount=amount, transfer_on=transfer_on, reason=reason, created_by=by, **account)
    save_audited(refund, by=by, reason=reason)
    left = amount
    for credit in credits:
        take = min(left, credit.amount - credit.credit_used)
        if take <= 0:
            continue
        save_audited(RefundPart(refund=refund, credit=credit, amount=take), by=by, reason=reason)
        credit.credit_used += take
        save_audited(credit, by=by, reason=reason)
        left -= take
        if not left:
            break
    assert RefundPart.objects.filter(refund=refund).aggregate(t=Sum("amount"))["t"] == amount
    return refund


@transaction.atomic
def cancel_refund(refund: Refund, *, reason: str, by=None) -> RefundCancellation:
    """Call ``refund`` off before its transfer day, with the reason: what it drew goes back to its credits (locked
    by id), so the customer holds it again. A transfer whose day has come is not called off here: money the
    bank returns comes back as a payment."""
    if not reason.strip():
        raise ValidationError(_("Say why the refund is cancelled."))
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if RefundCancellation.objects.filter(refund=refund).exists():
        raise ValidationError(_("This refund is already cancelled."))
    if refund.transfer_on < timezone.localdate():
        raise ValidationError(
            _("The transfer of %(day)s is past: money the bank returns is recorded as a payment, not by cancelling.")
            % {"day": date_text(refund.transfer_on)}
        )
    drawn = dict(refund.parts.order_by().values_list("credit_id").annotate(amount=Sum("amount")))
    for credit in Allocation.objects.select_for_update().filter(pk__in=drawn).order_by("pk"):
        credit.credit_used -= drawn[credit.pk]
        save_audited(credit, by=by, reason=reason)
    cancellation = RefundCancellation(refund=refund, reason=reason, cancelled_by=by)
    save_audited(cancellation, by=by, reason=reason)
    return cancellation
