"""Receivables' demo data: two months of payments for the issued invoices of September and October 2026.

September's arrive in a 全銀協 振込入金通知 (payer names in half-width kana, as banks write them) and are
matched automatically, but for: a partial payment, an overpayment kept as credit (applied to October's
invoice), a payment short by the transfer fee the payer deducted, one under a name only staff can
place (on the worklist), and one invoice never paid (dunned). October's come in a CSV. Runs once: a
second ``seed_demo`` finds the bank file and changes nothing.
"""

import unicodedata
from datetime import date

from django.db.models import F
from django.utils.translation import gettext as _

from backoffice.display import yen
from billing.models import Invoice
from receivables.matching import match_unmatched
from receivables.models import BankFile, Payment
from receivables.services import dunning
from receivables.services.allocations import apply_credits, match
from receivables.services.bank_import import import_bank_file

SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)
FEE = 660

#: Half-width katakana for each full-width one (and its voiced forms), as a bank's character set has them.
_HALF = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF61, 0xFFA0)}
_HALF |= {unicodedata.normalize("NFKC", h + "ﾞ"): h + "ﾞ" for h in list(_HALF.values())}
_HALF |= {unicodedata.normalize("NFKC", h + "ﾟ"): h + "ﾟ" for h in list(_HALF.values())}
_SMALL = str.maketrans("ァィゥェォッャュョ", "アイウエオツヤユヨ")


def bank_kana(name_kana: str) -> str:
    """A customer's reading as a bank writes the payer: ｶ) before it, half-width, no small kana, 48 at most."""
    full = unicodedata.normalize("NFKC", name_kana).translate(_SMALL).replace(" ", "").replace("　", "")
    return ("ｶ)" + "".join(_HALF.get(ch, ch) for ch in full))[:48]


def _field(text: str, width: int) -> bytes:
    return text.encode("cp932")[:width].ljust(width, b" ")


def _number(value: int, width: int) -> bytes:
    return str(value).rjust(width, "0").encode()


def transfer_notice(payments: list[tuple[int, str]], day: str) -> bytes:
    """A 振込入金通知 of ``(amount, payer)`` booked on ``day`` (令和 YYMMDD), CR/LF after each record."""
    header = (b"1" + b"01" + b"0" + day.encode() * 3 + b"0009" + _field("ﾐﾂｲｽﾐﾄﾓ", 15) + b"100"
              + _field("ﾎﾝﾃﾝ", 15) + b"1" + b"1234567" + _field("ﾃﾞﾓﾈﾂﾄﾜｰｸｻｰﾋﾞｽ(ｶ", 40) + b" " * 93)  # fmt: skip
    data = [
        b"2" + _number(n, 6) + day.encode() * 2 + _number(amount, 10) + _number(0, 20) + _field(payer, 48)
        + _field("ﾐｽﾞﾎ", 15) + _field("", 15) + b" " + b" " * 20 + b" " * 52
        for n, (amount, payer) in enumerate(payments, start=1)
    ]  # fmt: skip
    trailer = b"8" + _number(len(data), 6) + _number(sum(a for a, _p in payments), 12) + _number(0, 18) + b" " * 163
    return b"\r\n".join([header, *data, trailer, b"9" + b" " * 199]) + b"\r\n"


def contribute(seed: int, user) -> list[str]:
    if BankFile.objects.exists():
        return _summary()
    september = list(Invoice.objects.filter(month__month=SEPTEMBER, number__isnull=False).select_related("customer"))
    october = list(Invoice.objects.filter(month__month=OCTOBER, number__isnull=False).select_related("customer"))
    if len(september) < 6:
        return _summary()
    unpaid, partial, over, short, stranger, *rest = september
    payments = [(i.total, bank_kana(i.customer.name_kana or "テスト")) for i in rest]
    payments += [
        (partial.total // 2, bank_kana(partial.customer.name_kana)),
        (over.total + 5_000, bank_kana(over.customer.name_kana)),
        (short.total - FEE, bank_kana(short.customer.name_kana)),
        (stranger.total, "ﾔﾏﾀﾞ ﾀﾛｳ"),  # the owner paid in their own name: staff match it by hand
    ]
    import_bank_file(transfer_notice(payments, "081030"), name="furikomi-20261030.txt", by=user)
    overpaid = Payment.objects.filter(amount=over.total + 5_000, allocated__lt=F("amount")).first()
    if overpaid is not None:  # more than owed: staff keep the rest as credit
        match(overpaid, [over], by=user, reason="デモ:過入金を前受金に", teach=True)
    for payment in Payment.objects.filter(allocated__lt=F("amount"), amount=partial.total // 2):
        match(payment, [partial], by=user, reason="デモ:一部入金", teach=True)
    rows = ["入金日,金額,振込依頼人名"] + [
        f"2026-11-30,{i.total},{bank_kana(i.customer.name_kana or 'テスト')}"
        for i in october
        if i.customer_id not in (unpaid.customer_id, over.customer_id, stranger.customer_id)
    ]
    import_bank_file(("\n".join(rows) + "\n").encode("cp932"), name="nyukin-202611.csv", by=user)
    apply_credits(over.customer_id, by=user, reason="デモ:前受金を10月分に充当")
    match_unmatched(Payment.objects.unmatched(), by=user)
    dunning.send_due(date(2026, 11, 30))
    return _summary()


def _summary() -> list[str]:
    payments = Payment.objects.count()
    left = Payment.objects.unmatched().count()
    total = sum(Payment.objects.values_list("amount", flat=True))
    return [
        _("Payments: %(count)d for %(total)s, %(left)d waiting to be matched by hand")
        % {"count": payments, "total": yen(total), "left": left}
    ]
