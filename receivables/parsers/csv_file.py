"""A plain CSV of payments, for banks and channels without a 全銀協 file: one row per payment received.

Columns (a header row; English or Japanese names): ``received_on`` / 入金日 (YYYY-MM-DD or
YYYY/MM/DD), ``amount`` / 金額 (whole yen, commas allowed), ``payer_name`` / 振込依頼人名, and optionally
``bank_reference`` / 照会番号, ``payer_code`` / 振込依頼人コード, ``account`` / 口座 (the account the money came
into: a reference is known per account, so give it when the file mixes banks; written as
bank-branch-kind-number, e.g. 0009-100-1-1234567, it is the account a 全銀協 file of that account names).
UTF-8 (a byte-order mark allowed) or Shift_JIS.
"""

import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.csv_input import read_csv
from backoffice.dates import parse_date

from .zengin import BankRecord, account_key, reference_key

COLUMNS = {
    "入金日": "received_on",
    "金額": "amount",
    "振込依頼人名": "payer_name",
    "照会番号": "bank_reference",
    "振込依頼人コード": "payer_code",
    "口座": "account",
}
MAX_ROWS = 10_000


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is neither UTF-8 nor Shift_JIS text.")) from None


def parse(data: bytes) -> list[BankRecord | ValidationError]:
    """Each row as a ``BankRecord``, or the ``ValidationError`` that refuses it (the row's number first)."""
    text = decode(data)
    header, _sep, rest = text.partition("\n")
    for japanese, english in COLUMNS.items():
        header = header.replace(japanese, english)
    rows = read_csv(io.StringIO(header + "\n" + rest), required="amount", label="金額", max_rows=MAX_ROWS)
    return [_row(number, row) for number, row in enumerate(rows, start=2)]


def _row(number: int, row: dict) -> BankRecord | ValidationError:
    problems = []
    day = parse_date(row.get("received_on", "").strip())
    if day is None:
        problems.append(_("not a date: “%(value)s”") % {"value": row.get("received_on", "")[:20]})
    amount_text = row.get("amount", "").strip().replace(",", "")
    if not amount_text.isdigit() or int(amount_text) == 0:
        problems.append(_("not an amount of yen received: “%(value)s”") % {"value": amount_text[:20]})
    payer = row.get("payer_name", "").strip()
    if not payer:
        problems.append(_("no payer name"))
    if problems:
        return ValidationError("; ".join(problems))
    return BankRecord(
        number=number,
        account=_account(row.get("account", "")),
        reference=reference_key(row.get("bank_reference", ""))[:20],
        booked_on=day,
        value_on=day,
        amount=int(amount_text),
        payer_name=payer[:96],
        payer_code=row.get("payer_code", "").strip()[:10],
    )


def _account(text: str) -> str:
    text = text.strip()
    parts = re.fullmatch(r"(\d{4})-(\d{3})-(\d)-(\d{1,10})", text)
    return account_key(*parts.groups()) if parts else text[:40]
