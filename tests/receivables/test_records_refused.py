"""A record no payment can hold is refused by itself, in the dry run as in the import, by the payment's own
rules: a payer's name with NUL bytes, an amount beyond a payment's, a day outside the dates the product accepts.
The file is then written not at all (all or nothing), and nothing fails on the way."""

import pytest
from django.core.exceptions import ValidationError

from receivables.models import BankFile, Payment
from receivables.services.bank_import import import_bank_file

from . import zengin_writer as zw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def both_ways(data: bytes, name: str):
    """The dry run's report and the import's, which must agree record by record."""
    return import_bank_file(data, name=name, dry_run=True), import_bank_file(data, name=name)


def test_a_payer_name_with_nul_bytes_is_refused_in_the_dry_run_and_nothing_is_written():
    data = zw.notice_file("1234567", [{"照会番号": 1, "金額": 11_000, "振込依頼人名": "ﾔﾏﾀﾞ\x00\x00"}])
    dry, real = both_ways(data, "nul.txt")
    for report in (dry, real):
        assert report.refused == 1, report.lines
        assert "refused: payer name:" in report.lines[0]
        assert "ﾔﾏﾀﾞ<U+0000><U+0000>" in report.lines[0] and "\x00" not in "".join(report.lines)
    assert not Payment.objects.exists() and not BankFile.objects.exists()


@pytest.mark.parametrize(
    "row, field",
    [
        ("2026-11-30,100000000000000000000,ﾔﾏﾀﾞ", "amount (yen)"),
        ("0001-01-01,11000,ﾔﾏﾀﾞ", "received on (勘定日)"),
        ("9999-12-31,11000,ﾔﾏﾀﾞ", "received on (勘定日)"),
    ],
)
def test_a_csv_row_beyond_what_a_payment_holds_is_refused_by_itself(row, field):
    data = f"入金日,金額,振込依頼人名\n2026-11-30,5500,ｻﾄｳ\n{row}\n".encode()
    dry, real = both_ways(data, "big.csv")
    for report in (dry, real):
        assert (report.refused, len(report.lines)) == (1, 2), report.lines
        assert report.lines[0].endswith("\tok")
        assert f"refused: {field}:" in report.lines[1]
    assert not Payment.objects.exists() and not BankFile.objects.exists()


def test_a_csv_without_its_amount_column_names_it_in_japanese():
    with pytest.raises(ValidationError, match="“金額”"):
        import_bank_file("入金日,振込依頼人名\n2026-11-30,ｻﾄｳ\n".encode(), name="no-amount.csv")
