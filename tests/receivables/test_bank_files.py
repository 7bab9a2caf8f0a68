"""Bank files as banks write them: whole files written from the published 全銀協 tables (zengin_writer),
imported once whatever file repeats them, and money the bank takes back undone with its reason."""

import pytest
from django.core.exceptions import ValidationError

from receivables.models import Allocation, Payment
from receivables.parsers import zengin
from receivables.services.bank_import import import_bank_file

from . import zengin_writer as w

pytestmark = [pytest.mark.usefixtures("english")]


def deposit(ref, amount, payer, **more):
    return {"照会番号": ref, "取引金額": amount, "振込依頼人名または契約者番号": payer, **more}


def transfer(ref, amount, payer, **more):
    return {"照会番号": ref, "金額": amount, "振込依頼人名": payer, **more}


def test_a_statement_as_the_table_writes_it_is_read():
    data = w.statement_file(
        [
            ("0001234567", [deposit(1, 33_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"), deposit(2, 500, "", 入払区分=2, 取引区分=14)]),
            ("0007654321", [deposit(7, 11_000, "ﾕ)ｻﾄｳｺｳｷﾞﾖｳ")]),
        ]
    )
    content = zengin.parse(data)
    assert content.accounts == ["0009-100-1-0001234567", "0009-100-1-0007654321"]
    assert [(r.reference, r.deposit, r.amount) for r in content.records] == [
        ("1", True, 33_000),
        ("2", False, 500),
        ("7", True, 11_000),
    ]


def test_the_end_record_is_checked():
    data = w.statement_file([("0001234567", [deposit(1, 33_000, "ﾔﾏﾀﾞ")])])
    wrong = data.replace(
        w.write(w.入出金取引明細, "エンド", レコード総件数=4, 口座数=1),
        w.write(w.入出金取引明細, "エンド", レコード総件数=4, 口座数=2),
    )
    with pytest.raises(ValidationError, match="口座数"):
        zengin.parse(wrong)


def test_other_account_kinds_and_format_b_are_refused_by_name():
    with pytest.raises(ValidationError, match="定期預金"):
        zengin.parse(w.statement_file([("0001234567", [deposit(1, 33_000, "ﾔﾏﾀﾞ")])], kind=6))
    with pytest.raises(ValidationError, match="フォーマットB"):
        zengin.parse(w.notice_file("1234567", [transfer(1, 0, "ﾔﾏﾀﾞ")]))


@pytest.mark.django_db
def test_one_deposit_in_a_notice_and_a_statement_is_one_payment():
    import_bank_file(w.notice_file("1234567", [transfer(12, 33_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")]), name="notice.txt")
    statement = w.statement_file(
        [("0001234567", [deposit(12, 33_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"), deposit(90000013, 5_500, "ﾕ)ｻﾄｳ")])]
    )
    report = import_bank_file(statement, name="statement.txt")
    assert (report.written, report.skipped) == (1, 1), report.lines
    # another numbering of 照会番号 in the statement: the same deposit still, by account, day, amount, payer
    import_bank_file(w.notice_file("1234567", [transfer(20, 7_700, "ﾀﾅｶ")], day="081031"), name="n2.txt")
    other = w.statement_file([("0001234567", [deposit(55501, 7_700, "ﾀﾅｶ")])], day="081031")
    assert import_bank_file(other, name="s2.txt").written == 0
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [5_500, 7_700, 33_000]


@pytest.mark.django_db
def test_a_cancellation_undoes_the_match_with_its_reason(issue, yamada, staff):
    bill = issue(2025, 2, (yamada, 30_000))[yamada]
    first = import_bank_file(
        w.notice_file("1234567", [transfer(3, bill.total, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")], day="070331"), name="1.txt", by=staff
    )
    assert first.matched == 1
    cancel = w.notice_file("1234567", [transfer(3, bill.total, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 取消区分="1")], day="070401")
    report = import_bank_file(cancel, name="2.txt", by=staff)
    assert (report.taken_back, report.written) == (1, 0), report.lines
    payment = Payment.objects.get()
    assert payment.allocated == 0 and "取消区分 1" in payment.taken_back
    assert Allocation.objects.get().undo_reason == payment.taken_back
    assert payment.history.latest().history_user == staff


@pytest.mark.django_db
def test_corrections_both_ways(issue, yamada):
    bill = issue(2025, 2, (yamada, 30_000))[yamada]
    import_bank_file(w.statement_file([("0001234567", [deposit(1, bill.total, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")])], day="070331"), name="1")
    assert Payment.objects.get().allocated == bill.total
    corrected = w.statement_file(
        [
            (
                "0001234567",
                [
                    deposit(2, bill.total, "", 入払区分=2, 取引区分=19),  # the deposit taken back
                    deposit(3, 4_400, "", 入払区分=1, 取引区分=19),  # a withdrawal put back: no customer's money
                ],
            )
        ],
        day="070401",
    )
    report = import_bank_file(corrected, name="2")
    assert (report.taken_back, report.written) == (1, 0), report.lines
    assert "訂正" in report.lines[1]
    assert Payment.objects.get().allocated == 0


@pytest.mark.django_db
def test_a_correction_with_no_single_payment_is_held():
    corrected = w.statement_file([("0001234567", [deposit(2, 9_999, "", 入払区分=2, 取引区分=19)])])
    report = import_bank_file(corrected, name="c")
    assert report.held == 1 and "held for a person" in report.lines[0]


@pytest.mark.django_db
def test_csv_rows_carry_their_account_and_are_imported_once():
    header = "入金日,金額,振込依頼人名,照会番号,口座\n"
    two_banks = header + "2026-11-30,33000,ﾔﾏﾀﾞ,123,0009-100-1-1234567\n2026-11-30,11000,ｻﾄｳ,123,0005-001-1-7654321\n"
    assert import_bank_file(two_banks.encode(), name="a.csv").written == 2
    no_ref = "入金日,金額,振込依頼人名\n2026-12-01,33000,ﾔﾏﾀﾞ\n2026-12-01,33000,ﾔﾏﾀﾞ\n"
    assert import_bank_file(no_ref.encode(), name="b.csv").written == 2  # two equal rows: two payments
    overlapping = no_ref + "2026-12-01,33000,ﾔﾏﾀﾞ\n2026-12-02,5500,ｻﾄｳ\n"
    report = import_bank_file(overlapping.encode(), name="c.csv")
    assert (report.written, report.skipped) == (2, 2), report.lines
    assert "repeats b.csv, record 2" in report.lines[0]
    assert Payment.objects.filter(amount=33_000, bank_reference="").count() == 3


@pytest.mark.django_db
def test_the_sample_files_import_cleanly():
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    notice = import_bank_file((examples / "furikomi-sample.txt").read_bytes(), name="furikomi-sample.txt")
    assert (notice.written, notice.refused) == (3, 0), notice.lines
    statement = import_bank_file((examples / "nyushukkin-sample.txt").read_bytes(), name="nyushukkin-sample.txt")
    # the three deposits of the notice are recognised, two are new, a fee paid out is no customer's
    assert (statement.written, statement.refused, statement.taken_back) == (2, 0, 0), statement.lines
    assert Payment.objects.count() == 5


@pytest.mark.django_db
def test_a_payment_the_bank_took_back_is_no_ones_money_to_match():
    """A 取消 or 訂正 took it back: it leaves the worklist and the daily automatic match."""
    from receivables.models import Payment
    from receivables.worklists import unmatched_payments
    from tests.receivables.makers import payment

    kept, taken = payment(), payment()
    Payment.objects.filter(pk=taken.pk).update(taken_back="取消 (record 3)")
    assert set(Payment.objects.unmatched()) == {kept}
    assert unmatched_payments() == 1
