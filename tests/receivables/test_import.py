"""Importing bank files end to end: a 全銀協 file written by hand from the specification is read, checked,
written once, and its payments matched to issued invoices; CSV the same way; a dry run writes nothing."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from billing.models import Invoice
from receivables import selectors
from receivables.models import Allocation, BankFile, InvoiceState, Payment, TransferName
from receivables.services.bank_import import import_bank_file

from . import zengin_bytes as z

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def notice(*data):
    total = sum(int(d[19:29]) for d in data)
    return b"\r\n".join([z.notice_header(), *data, z.notice_trailer(len(data), total), z.end()]) + b"\r\n"


def paid(invoice):
    return selectors.with_balance(Invoice.objects.filter(pk=invoice.pk)).get().payment_state


def test_a_transfer_notice_imports_and_matches_end_to_end(issue, yamada, sato, staff):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    data = notice(
        z.notice_data(1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"),  # name in half-width kana, amount exact
        z.notice_data(2, 4_840, "ﾕ)ｻﾄｳｺｳｷﾞﾖｳ"),  # 5,500 less a 660 yen fee
        z.notice_data(3, 7_777, "ﾀﾅｶ ｼﾖｳﾃﾝ"),  # nobody's: the worklist
    )
    report = import_bank_file(data, name="20250331.txt", by=staff)
    assert (report.written, report.matched, report.refused) == (3, 2, 0), report.lines
    assert paid(bills[yamada]) == InvoiceState.PAID
    assert paid(bills[sato]) == InvoiceState.PAID
    bank_file = BankFile.objects.get()
    assert (bank_file.format, bank_file.payments_count, bank_file.payments_total) == ("zengin_01", 3, 23_617)
    assert bank_file.intact() and bytes(bank_file.content) == data
    left = Payment.objects.get(allocated=0)
    assert (left.payer_name, left.received_on, left.bank_reference) == ("ﾀﾅｶ ｼﾖｳﾃﾝ", D(2025, 3, 31), "3")
    assert Payment.objects.get(bank_reference="1").history.earliest().history_user == staff


def test_an_import_tells_its_progress_record_by_record_then_payment_by_payment(yamada):
    told = []
    data = notice(*(z.notice_data(number, 1_000 + number, "ﾀﾅｶ ｼﾖｳﾃﾝ") for number in range(1, 251)))
    report = import_bank_file(data, name="250.txt", progress=lambda done, total: told.append((done, total)))
    assert report.written == 250
    assert told[:3] == [(100, 500), (200, 500), (250, 500)]  # the records checked
    assert told[3:] == [(500, 500)]  # then each batch of payments matched (one batch here)
    told.clear()
    other = z.notice_header(made="070401") + data[len(z.notice_header()) :]
    import_bank_file(other, name="dry.txt", dry_run=True, progress=lambda done, total: told.append((done, total)))
    assert told == [(100, 250), (200, 250), (250, 250)]  # a dry run checks only


def test_the_same_file_twice_adds_nothing(yamada):
    data = notice(z.notice_data(1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"))
    import_bank_file(data, name="a.txt")
    with pytest.raises(ValidationError, match="already imported"):
        import_bank_file(data, name="a-again.txt")
    assert Payment.objects.count() == 1


def test_an_overlapping_statement_skips_what_was_imported(yamada):
    first = b"".join(
        [z.statement_header(), z.statement_data(1, 1, 11_000, "ﾔﾏﾀﾞ"), z.statement_trailer(1, 11_000, 0, 0, 1, 1),
         z.statement_end(4)]
    )  # fmt: skip
    second = b"".join(
        [
            z.statement_header(),
            z.statement_data(1, 1, 11_000, "ﾔﾏﾀﾞ"),
            z.statement_data(2, 1, 3_300, "ｻﾄｳ"),
            z.statement_data(3, 2, 500, ""),
            z.statement_trailer(2, 14_300, 1, 500, 1, 3),
            z.statement_end(6),
        ]
    )
    import_bank_file(first, name="1.txt")
    report = import_bank_file(second, name="2.txt")
    assert (report.written, report.skipped) == (1, 2)
    assert "skipped: already imported" in report.lines[0] and "skipped: a withdrawal" in report.lines[2]
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [3_300, 11_000]


def test_a_dry_run_writes_nothing_and_a_broken_trailer_refuses_the_file(yamada):
    data = notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"))
    report = import_bank_file(data, name="a.txt", dry_run=True)
    assert report.dry_run and report.lines[0].endswith("ok")
    broken = data.replace(z.notice_trailer(1, 11_000), z.notice_trailer(1, 11_100))
    with pytest.raises(ValidationError, match="trailer"):
        import_bank_file(broken, name="b.txt")
    assert not Payment.objects.exists() and not BankFile.objects.exists()


def test_a_csv_is_all_or_nothing_and_shift_jis_is_read(issue, yamada):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    bad = "入金日,金額,振込依頼人名\n2025/03/31,11000,ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ\n2025/02/30,500,ﾀﾅｶ\n".encode("cp932")
    report = import_bank_file(bad, name="bad.csv")
    assert (report.refused, report.written) == (1, 0) and "not a date" in report.lines[1]
    good = bad.replace(b"2025/02/30", b"2025/03/28")
    report = import_bank_file(good, name="good.csv")
    assert (report.written, report.matched) == (2, 1)
    assert paid(bill) == InvoiceState.PAID


def test_the_command(tmp_path, yamada, staff):
    path = tmp_path / "notice.txt"
    path.write_bytes(notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ")))
    call_command("import_payments", str(path), "--dry-run")
    assert not Payment.objects.exists()
    call_command("import_payments", str(path), "--user", staff.username)
    assert Payment.objects.get().created_by == staff
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_payments", str(path))


def test_matching_by_hand_teaches_the_name_for_the_next_file(issue, yamada, staff):
    bills = issue(2025, 2, (yamada, 10_000))
    issue(2025, 3, (yamada, 10_000))
    report = import_bank_file(notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞｼﾖｳｼﾞ ﾄｳｷﾖｳ")), name="1.txt")
    assert report.matched == 0  # "ﾄｳｷﾖｳ" (the branch) makes the name another
    from receivables.services.allocations import match

    match(Payment.objects.get(), [bills[yamada]], by=staff, reason="by hand", teach=True)
    assert TransferName.objects.get().learned_from == Payment.objects.get()
    report = import_bank_file(notice(z.notice_data(2, 11_000, "ﾔﾏﾀﾞｼﾖｳｼﾞ ﾄｳｷﾖｳ", booked="070430")), name="2.txt")
    assert report.matched == 1
    assert Allocation.objects.filter(invoice__month__month=D(2025, 3, 1)).exists()
