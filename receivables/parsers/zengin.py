"""The 全銀協 standard formats of incoming payments: 振込入金通知 (kind 01) and 入出金取引明細 (kind 03).

Fixed-length records of 200 bytes: a header (1), data records (2), a trailer (8) with the counts and
totals of its data records, then, after one or more such groups (one per account), an end record (9).
Text is upper-case ASCII and half-width katakana (JIS X 0201), sent as Shift_JIS or as JIS 8-bit
(the same single bytes for these characters), with or without CR/LF after each record; dates are
Japanese-era YYMMDD (和暦). N fields are digits, right-aligned and zero-filled; C fields are text,
left-aligned and space-filled. A file that breaks the structure or whose trailer or end record disagrees
with its records is refused whole, naming the record.

The layouts are those of the 全銀協 tables as the banks publish them (see docs/receivables.md, "Bank
files"): every rule about them lives in this module. What is refused by name rather than read: the
data layout of 通知・定期・積立定期 accounts (預金種目 5, 6, 7) and a 振込入金通知 in フォーマットB.
"""

from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RECORD = 200
TRANSFER_NOTICE, STATEMENT = "01", "03"

# (name, length, N or C, the name the specification gives it) in the order of the specification; each record adds
# up to 200 bytes. Messages name a field as the specification does.
LAYOUTS = {
    (TRANSFER_NOTICE, "1"): [
        ("record", 1, "N", "データ区分"), ("kind", 2, "N", "種別コード"), ("code", 1, "N", "コード区分"),
        ("made_on", 6, "N", "作成日"), ("from", 6, "N", "勘定日(自)"), ("to", 6, "N", "勘定日(至)"),
        ("bank", 4, "N", "銀行コード"), ("bank_name", 15, "C", "銀行名"), ("branch", 3, "N", "支店コード"),
        ("branch_name", 15, "C", "支店名"), ("account_kind", 1, "N", "預金種目"),
        ("account_number", 7, "N", "口座番号"), ("account_name", 40, "C", "口座名"), ("dummy", 93, "C", "ダミー"),
    ],
    (TRANSFER_NOTICE, "2"): [
        ("record", 1, "N", "データ区分"), ("reference", 6, "N", "照会番号"), ("booked_on", 6, "N", "勘定日"),
        ("value_on", 6, "N", "起算日"), ("amount", 10, "N", "金額"), ("other_bank_cheques", 10, "N", "うち他店券金額"),
        ("payer_code", 10, "N", "振込依頼人コード"), ("payer", 48, "C", "振込依頼人名"),
        ("from_bank", 15, "C", "仕向銀行名"), ("from_branch", 15, "C", "仕向店名"), ("cancelled", 1, "C", "取消区分"),
        ("edi", 20, "C", "EDI情報"), ("dummy", 52, "C", "ダミー"),
    ],
    (TRANSFER_NOTICE, "8"): [
        ("record", 1, "N", "データ区分"), ("count", 6, "N", "振込合計件数"), ("total", 12, "N", "振込合計金額"),
        ("cancelled_count", 6, "N", "取消合計件数"), ("cancelled_total", 12, "N", "取消合計金額"),
        ("dummy", 163, "C", "ダミー"),
    ],
    (TRANSFER_NOTICE, "9"): [
        ("record", 1, "N", "データ区分"), ("dummy", 199, "C", "ダミー"),
    ],
    (STATEMENT, "1"): [
        ("record", 1, "N", "データ区分"), ("kind", 2, "N", "種別コード"), ("code", 1, "N", "コード区分"),
        ("made_on", 6, "N", "作成日"), ("from", 6, "N", "勘定日(自)"), ("to", 6, "N", "勘定日(至)"),
        ("bank", 4, "N", "銀行コード"), ("bank_name", 15, "C", "銀行名"), ("branch", 3, "N", "支店コード"),
        ("branch_name", 15, "C", "支店名"), ("dummy1", 3, "C", "ダミー"), ("account_kind", 1, "N", "預金種目"),
        ("account_number", 10, "N", "口座番号"), ("account_name", 40, "C", "口座名"),
        ("overdraft", 1, "N", "貸越区分"), ("passbook", 1, "N", "通帳・証書区分"),
        ("balance_before", 14, "N", "取引前残高"), ("dummy", 71, "C", "ダミー"),
    ],
    (STATEMENT, "2"): [
        ("record", 1, "N", "データ区分"), ("reference", 8, "N", "照会番号"), ("booked_on", 6, "N", "勘定日"),
        ("value_on", 6, "N", "預入・払出日"), ("direction", 1, "N", "入払区分"), ("transaction", 2, "N", "取引区分"),
        ("amount", 12, "N", "取引金額"), ("other_bank_cheques", 12, "N", "うち他店券金額"),
        ("presented_on", 6, "N", "交換呈示日"), ("dishonoured_on", 6, "N", "不渡日"),
        ("cheque_kind", 1, "N", "手形・小切手区分"), ("cheque_number", 7, "N", "手形・小切手番号"),
        ("branch_of", 3, "N", "僚店番号"), ("payer_code", 10, "N", "振込依頼人コード"),
        ("payer", 48, "C", "振込依頼人名または契約者番号"), ("from_bank", 15, "C", "仕向銀行名"),
        ("from_branch", 15, "C", "仕向店名"), ("summary", 20, "C", "摘要内容"), ("edi", 20, "C", "EDI情報"),
        ("dummy", 1, "C", "ダミー"),
    ],
    (STATEMENT, "8"): [
        ("record", 1, "N", "データ区分"), ("deposits", 6, "N", "入金件数"), ("deposits_total", 13, "N", "入金額合計"),
        ("withdrawals", 6, "N", "出金件数"), ("withdrawals_total", 13, "N", "出金額合計"),
        ("overdraft", 1, "N", "貸越区分"), ("balance_after", 14, "N", "取引後残高"),
        ("records", 7, "N", "データ・レコード件数"), ("dummy", 139, "C", "ダミー"),
    ],
    (STATEMENT, "9"): [
        ("record", 1, "N", "データ区分"), ("all_records", 10, "N", "レコード総件数"), ("accounts", 5, "N", "口座数"),
        ("dummy", 184, "C", "ダミー"),
    ],
}  # fmt: skip
assert all(sum(length for _n, length, _k, _s in layout) == RECORD for layout in LAYOUTS.values())

#: The fields a record may leave blank (spaces) although they are numeric (任意項目).
OPTIONAL_NUMBERS = {"reference", "payer_code", "presented_on", "dishonoured_on", "cheque_kind", "cheque_number",
                    "branch_of", "other_bank_cheques", "value_on", "transaction", "overdraft", "passbook",
                    "balance_before", "balance_after"}  # fmt: skip
DEPOSIT = "1"  # 入払区分 of 入出金取引明細: 1 入金, 2 出金
CORRECTION = "19"  # 取引区分 of 入出金取引明細: 19 訂正 (the bank corrects an earlier entry)
CANCELLED = "1"  # 取消区分 of 振込入金通知: 1 this record cancels an earlier notice
#: 預金種目 read with the data layout above: 普通, 当座, 貯蓄.
READ_ACCOUNT_KINDS = {"1": "普通預金", "2": "当座預金", "4": "貯蓄預金"}
#: 預金種目 whose 入出金取引明細 has another data layout (通知・定期・積立定期): refused by name.
OTHER_LAYOUT_KINDS = {"5": "通知預金", "6": "定期預金", "7": "積立定期預金"}


@dataclass(frozen=True)
class BankRecord:
    """One data record: a payment into the account, or (a statement) a withdrawal, or a cancellation
    (振込入金通知, 取消区分 1) or correction (入出金取引明細, 取引区分 19) of an earlier record."""

    number: int  # the record's place in the file, from 1
    account: str  # bank-branch-kind-number, the number zero-filled to 10 digits whatever the layout
    reference: str  # 照会番号 without its leading zeros ("" when the bank gave none)
    booked_on: date
    value_on: date | None
    amount: int
    payer_name: str
    payer_code: str
    deposit: bool = True
    cancelled: bool = False
    correction: bool = False


@dataclass
class BankFileContent:
    kind: str  # TRANSFER_NOTICE or STATEMENT
    records: list[BankRecord]
    accounts: list[str]


def account_key(bank: str, branch: str, kind: str, number: str) -> str:
    """One spelling of an account for both layouts: the 振込入金通知 writes 7 digits, the statement 10."""
    return f"{bank}-{branch}-{kind}-{number.strip().rjust(10, '0')}"


def reference_key(reference: str) -> str:
    """A 照会番号 as compared: the 振込入金通知 writes 6 digits, the statement 8; leading zeros dropped."""
    return reference.strip().lstrip("0")


def era_date(text: str) -> date:
    """A 和暦 YYMMDD: 令和 for YY up to 30 from 1 May 2019 (令和元年), 平成 for 31 and for dates before it.

    Statements are recent, so YY 01–30 is read as 令和 unless that day falls before 令和 began."""
    if not text.isdigit() or len(text) != 6:
        raise ValueError(text)
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    reiwa = date(2018 + yy, mm, dd) if 1 <= yy <= 30 else None
    if reiwa and reiwa >= date(2019, 5, 1):
        return reiwa
    heisei = date(1988 + yy, mm, dd)
    if heisei >= date(2019, 5, 1):
        raise ValueError(text)
    return heisei


def split_records(data: bytes) -> list[bytes]:
    """The 200-byte records of ``data``, with CR/LF between them or none; an EOF byte (0x1A) at the end is dropped."""
    data = data.rstrip(b"\x1a")
    if b"\n" in data or b"\r" in data:
        lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        while lines and not lines[-1]:
            lines.pop()
    else:
        lines = [data[i : i + RECORD] for i in range(0, len(data), RECORD)]
    for number, line in enumerate(lines, start=1):
        if len(line) != RECORD:
            raise ValidationError(
                _("Record %(number)s is %(length)s bytes long; every record of a 全銀協 file is 200.")
                % {"number": number, "length": len(line)}
            )
    return lines


def _fields(record: bytes, layout, number: int) -> dict[str, str]:
    try:
        text = record.decode("cp932")
    except UnicodeDecodeError:
        raise ValidationError(_("Record %(number)s is not Shift_JIS or JIS 8-bit text.") % {"number": number}) from None
    if len(text) != RECORD:  # a double-byte character: the format has none
        raise ValidationError(_("Record %(number)s holds double-byte characters.") % {"number": number})
    ends = list(accumulate(length for _n, length, _k, _s in layout))
    values = {}
    for (name, _length, kind, spec_name), start, end in zip(layout, [0, *ends[:-1]], ends, strict=True):
        value = text[start:end]
        if kind == "N" and not value.isdigit() and not (name in OPTIONAL_NUMBERS and not value.strip()):
            raise ValidationError(
                _("Record %(number)s: “%(field)s” (bytes %(start)s–%(end)s) is not a number: %(value)s")
                % {"number": number, "field": spec_name, "start": start + 1, "end": end, "value": value.strip() or "␣"}
            )
        values[name] = value.rstrip() if kind == "C" else value.strip()
    return values


def _refuse(number: int, message: str):
    raise ValidationError(_("Record %(number)s: %(problem)s") % {"number": number, "problem": message})


def parse(data: bytes) -> BankFileContent:
    """The payments of a 全銀協 file, after checking its structure, its trailers and its end record; a
    ``ValidationError`` naming the record otherwise."""
    records = split_records(data)
    if not records:
        raise ValidationError(_("The file is empty."))
    kind = records[0][1:3].decode("ascii", "replace")
    if records[0][:1] != b"1" or kind not in (TRANSFER_NOTICE, STATEMENT):
        raise ValidationError(
            _("Not a 全銀協 振込入金通知 (01) or 入出金取引明細 (03) file: the first record is no header.")
        )
    content = BankFileContent(kind, [], [])
    header, group = None, []
    for number, record in enumerate(records, start=1):
        record_type = record[:1].decode("ascii", "replace")
        layout = LAYOUTS.get((kind, record_type))
        if layout is None:
            _refuse(number, _("unknown record type “%(type)s”.") % {"type": record_type})
        values = _fields(record, layout, number)
        if record_type == "9":
            if header is not None or number != len(records) or not content.accounts:
                _refuse(number, _("the end record (9) comes last, after a trailer."))
            _check_end(kind, values, len(records), len(content.accounts), number)
            return content
        if record_type == "1":
            if header is not None:
                _refuse(number, _("a header before the trailer of the previous one."))
            _check_header(kind, values, number)
            header, group = values, []
            content.accounts.append(_account(header))
        elif header is None:
            _refuse(number, _("a data or trailer record before any header."))
        elif record_type == "2":
            group.append(_record(kind, values, number, _account(header)))
        else:
            _check_trailer(kind, values, group, number)
            content.records.extend(group)
            header = None
    raise ValidationError(_("The file ends without its end record (9)."))


def _check_header(kind: str, values: dict, number: int) -> None:
    if values["kind"] != kind:
        _refuse(number, _("a header of another kind of file."))
    if values["code"] != "0":
        _refuse(number, _("only JIS code (コード区分 0) is read, not EBCDIC."))
    account_kind = values["account_kind"]
    if kind == STATEMENT and account_kind in OTHER_LAYOUT_KINDS:
        _refuse(
            number,
            _(
                "預金種目 %(kind)s (%(name)s): the statement of such an account has another data layout "
                "(通知・定期・積立定期), which is not read; customers pay into a 普通 or 当座 account."
            )
            % {"kind": account_kind, "name": OTHER_LAYOUT_KINDS[account_kind]},
        )
    if account_kind not in READ_ACCOUNT_KINDS:
        _refuse(number, _("預金種目 %(kind)s is no kind of account this file reads.") % {"kind": account_kind})


def _account(header: dict) -> str:
    return account_key(header["bank"], header["branch"], header["account_kind"], header["account_number"])


def _record(kind: str, values: dict, number: int, account: str) -> BankRecord:
    try:
        booked_on = era_date(values["booked_on"])
        value_on = era_date(values["value_on"]) if values["value_on"] else None
    except ValueError:
        raise ValidationError(
            _("Record %(number)s: not a date in the Japanese era (YYMMDD): %(value)s")
            % {"number": number, "value": f"{values['booked_on']} / {values['value_on']}"}
        ) from None
    if kind == TRANSFER_NOTICE and int(values["amount"]) == 0:
        _refuse(
            number,
            _(
                "金額 is 0: a 振込入金通知 in フォーマットB (the amount in 金額(2)) is not read; ask the bank "
                "for フォーマットA."
            ),
        )
    if kind == TRANSFER_NOTICE and values["cancelled"] not in ("", "0", CANCELLED):
        _refuse(number, _("取消区分 “%(value)s” is neither blank, 0 nor 1.") % {"value": values["cancelled"]})
    if kind == STATEMENT and values["direction"] not in ("1", "2"):
        _refuse(number, _("入払区分 “%(value)s” is neither 1 (入金) nor 2 (出金).") % {"value": values["direction"]})
    return BankRecord(
        number=number,
        account=account,
        reference=reference_key(values["reference"]),
        booked_on=booked_on,
        value_on=value_on,
        amount=int(values["amount"]),
        payer_name=values["payer"].strip(),
        payer_code=values["payer_code"].lstrip("0"),
        deposit=kind == TRANSFER_NOTICE or values["direction"] == DEPOSIT,
        cancelled=kind == TRANSFER_NOTICE and values["cancelled"] == CANCELLED,
        correction=kind == STATEMENT and values["transaction"] == CORRECTION,
    )


def _check_trailer(kind: str, trailer: dict, group: list[BankRecord], number: int) -> None:
    """The trailer's counts and totals against its data records (a torn or edited file fails here)."""
    if kind == TRANSFER_NOTICE:
        live = [r for r in group if not r.cancelled]
        cancelled = [r for r in group if r.cancelled]
        expected = {
            "count": len(live),
            "total": sum(r.amount for r in live),
            "cancelled_count": len(cancelled),
            "cancelled_total": sum(r.amount for r in cancelled),
        }
    else:
        deposits = [r for r in group if r.deposit]
        withdrawals = [r for r in group if not r.deposit]
        expected = {
            "deposits": len(deposits),
            "deposits_total": sum(r.amount for r in deposits),
            "withdrawals": len(withdrawals),
            "withdrawals_total": sum(r.amount for r in withdrawals),
            "records": len(group),
        }
    spec_names = {name: spec_name for name, _length, _kind, spec_name in LAYOUTS[kind, "8"]}
    for name, value in expected.items():
        if int(trailer[name]) != value:
            raise ValidationError(
                _("Record %(number)s (trailer): “%(field)s” says %(says)s, the data records give %(found)s.")
                % {"number": number, "field": spec_names[name], "says": int(trailer[name]), "found": value}
            )


def _check_end(kind: str, end: dict, records: int, accounts: int, number: int) -> None:
    """The statement's end record counts the accounts and the records: all of them, or all but itself
    (banks' manuals word レコード総件数 both ways, so both are taken)."""
    if kind != STATEMENT:
        return
    if int(end["accounts"]) != accounts:
        raise ValidationError(
            _("Record %(number)s (end): “口座数” says %(says)s, the file has %(found)s accounts.")
            % {"number": number, "says": int(end["accounts"]), "found": accounts}
        )
    if int(end["all_records"]) not in (records, records - 1):
        raise ValidationError(
            _("Record %(number)s (end): “レコード総件数” says %(says)s, the file has %(found)s records.")
            % {"number": number, "says": int(end["all_records"]), "found": records}
        )
