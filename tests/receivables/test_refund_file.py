"""The bank's transfer request file for refunds (全銀協 総合振込), read back with the byte positions of the
published layout (全銀協制定ファイルフォーマット 総合振込: 120-byte records, header 1 / data 2 / trailer 8 /
end 9), written out here from the table, never from the writer's constants; and the refunds' admin."""

from datetime import date as D
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from backoffice.months import Month
from jobs.models import Job, JobState
from receivables import journal
from receivables.background import POST_JOURNAL
from receivables.models import JournalBatch, Refund
from receivables.services.allocations import match
from receivables.services.credits import credit_held
from receivables.services.payments import record_payment
from receivables.services.refunds import cancel_refund, record_refund, transfer_file
from tests.admin.conftest import changelist_url, messages_of, run_action
from tests.receivables.test_acts import act, act_url
from tests.receivables.test_credit import ACCOUNT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# (name, first byte, width), 1-based, as the published table lists them.
PUBLISHED_HEADER = [("データ区分", 1, 1), ("種別コード", 2, 2), ("コード区分", 4, 1), ("振込依頼人コード", 5, 10),
                    ("振込依頼人名", 15, 40), ("振込指定日", 55, 4), ("仕向銀行番号", 59, 4), ("仕向銀行名", 63, 15),
                    ("仕向支店番号", 78, 3), ("仕向支店名", 81, 15), ("預金種目", 96, 1), ("口座番号", 97, 7),
                    ("ダミー", 104, 17)]  # fmt: skip
PUBLISHED_DATA = [("データ区分", 1, 1), ("被仕向銀行番号", 2, 4), ("被仕向銀行名", 6, 15), ("被仕向支店番号", 21, 3),
                  ("被仕向支店名", 24, 15), ("手形交換所番号", 39, 4), ("預金種目", 43, 1), ("口座番号", 44, 7),
                  ("受取人名", 51, 30), ("振込金額", 81, 10), ("新規コード", 91, 1), ("顧客コード1", 92, 10),
                  ("顧客コード2", 102, 10), ("振込指定区分", 112, 1), ("識別表示", 113, 1),
                  ("ダミー", 114, 7)]  # fmt: skip
PUBLISHED_TRAILER = [("データ区分", 1, 1), ("合計件数", 2, 6), ("合計金額", 8, 12), ("ダミー", 20, 101)]
PUBLISHED_END = [("データ区分", 1, 1), ("ダミー", 2, 119)]


def read(record: bytes, layout) -> dict[str, str]:
    assert sum(width for _name, _start, width in layout) == 120
    return {name: record[start - 1 : start - 1 + width].decode("cp932").rstrip() for name, start, width in layout}


@pytest.fixture
def refunds(issue, yamada, sato):
    bills = issue(2025, 3, (yamada, 10_000), (sato, 10_000))
    for customer, name in ((yamada, "ﾔﾏﾀﾞ"), (sato, "ｻﾄｳ")):
        match(record_payment(received_on=D(2025, 3, 31), amount=20_000, payer_name=name), [bills[customer]], reason="x")
    day = D(2025, 4, 10)
    return [
        record_refund(customer=yamada, amount=8_000, transfer_on=day, reason="x", **ACCOUNT),
        record_refund(customer=sato, amount=1_234, transfer_on=day, reason="x", **{**ACCOUNT, "account_type": "2"}),
    ]


def test_the_transfer_file_reads_back_by_the_published_layout(refunds, settings):
    settings.RECEIVABLES_REFUND_ACCOUNT = {
        "code": "1234567890", "name": "ｶ)ﾃﾞﾓﾈｯﾄ", "bank_code": "0001", "bank_name": "ﾐｽﾞﾎ", "branch_code": "100",
        "branch_name": "ﾎﾝﾃﾝ", "account_type": "1", "account_number": "7654321",
    }  # fmt: skip
    data = transfer_file(refunds, D(2025, 4, 10))
    records = data.split(b"\r\n")
    assert records[-1] == b"" and all(len(r) == 120 for r in records[:-1]) and len(records) == 6
    header = read(records[0], PUBLISHED_HEADER)
    assert header["データ区分"] == "1" and header["種別コード"] == "21" and header["コード区分"] == "0"
    assert header["振込依頼人コード"] == "1234567890" and header["振込依頼人名"] == "ｶ)ﾃﾞﾓﾈｯﾄ"
    assert (header["振込指定日"], header["仕向銀行番号"], header["仕向支店番号"]) == ("0410", "0001", "100")
    assert (header["預金種目"], header["口座番号"], header["ダミー"]) == ("1", "7654321", "")
    first, second = (read(r, PUBLISHED_DATA) for r in records[1:3])
    assert first["データ区分"] == "2" and first["被仕向銀行番号"] == "0005" and first["被仕向支店番号"] == "123"
    assert first["被仕向銀行名"] == "ﾐﾂﾋﾞｼﾕｰｴﾌｼﾞｪｲ" and first["被仕向支店名"] == "ｼﾌﾞﾔ"
    assert (first["手形交換所番号"], first["預金種目"], first["口座番号"]) == ("0000", "1", "1234567")
    assert (first["受取人名"], first["振込金額"], first["新規コード"]) == ("ﾔﾏﾀﾞｼｮｳｼﾞ(ｶ", "0000008000", "0")
    assert first["顧客コード2"] == f"{refunds[0].pk:010d}" and first["振込指定区分"] == "7"
    assert (second["預金種目"], second["振込金額"]) == ("2", "0000001234")
    trailer = read(records[3], PUBLISHED_TRAILER)
    assert (trailer["データ区分"], trailer["合計件数"], trailer["合計金額"]) == ("8", "000002", "000000009234")
    assert read(records[4], PUBLISHED_END) == {"データ区分": "9", "ダミー": ""}


def test_the_admin_records_a_refund_within_the_credit_and_writes_the_file(refunds, staff_client, yamada):
    url = reverse("admin:receivables_refund_add")
    form = {**ACCOUNT, "customer": yamada.pk, "transfer_on": "2025-04-10", "reason": "asked"}
    response = staff_client.post(url, {**form, "amount": "2001"})  # 1,000 held after 8,000 refunded
    assert response.status_code == 200 and Refund.objects.count() == 2
    response = staff_client.post(url, {**form, "amount": "1000"})
    assert response.status_code == 302 and Refund.objects.count() == 3
    changelist = reverse("admin:receivables_refund_changelist")
    chosen = Refund.objects.values_list("pk", flat=True)
    response = staff_client.post(changelist, {"action": "write_transfer_file", "_selected_action": list(chosen)})
    assert response.status_code == 200 and response.content.count(b"\r\n") == 6


def test_the_customer_page_and_the_receivables_show_the_credit_held(refunds, staff_client, yamada):
    page = staff_client.get(reverse("admin:customers_customer_change", args=[yamada.pk])).content.decode()
    assert 'id="credit-held"' in page and "1,000" in page  # 9,000 overpaid, 8,000 refunded
    listed = staff_client.get(reverse("admin:receivables_receivable_changelist")).content.decode()
    assert 'id="credit-held"' in listed and "8,766" in listed  # with sato's 9,000 less 1,234 refunded


def test_the_journal_is_posted_by_an_act_after_a_confirmation_and_exported(refunds, staff_client, worked_off):
    page = staff_client.get(changelist_url(JournalBatch)).content.decode()
    assert act_url(JournalBatch, "post_journal") in page
    with worked_off():
        confirm, answer = act(staff_client, JournalBatch, "post_journal", month="2025-04")
        assert not JournalBatch.objects.exists()  # the confirmation wrote nothing
    shown = confirm.content.decode()
    assert "前受金" in shown and "Debits = credits" in shown and "Once posted it never changes" in shown
    job = Job.objects.get(kind=POST_JOURNAL.name)
    assert answer.status_code == 302 and answer["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
    batch = JournalBatch.objects.get()
    assert job.state == JobState.DONE, job.result
    assert job.result_url == reverse("admin:receivables_journalbatch_change", args=[batch.pk])
    assert f"{batch.debit_total:,}" in job.result
    for fmt in ("csv", "xlsx", "yayoi"):
        export = staff_client.get(reverse("admin:receivables_journalbatch_export", args=[batch.pk, fmt]))
        assert export.status_code == 200
    assert staff_client.get(reverse("admin:receivables_journalbatch_change", args=[batch.pk])).status_code == 200
    again, _answer = act(staff_client, JournalBatch, "post_journal", month="2025-04")
    assert "already posted" in again.content.decode()
    current = str(Month.of(timezone.localdate()))
    early, answer = act(staff_client, JournalBatch, "post_journal", month=current)
    assert answer is None and "is not over yet" in early.content.decode()  # refused before any job starts
    assert Job.objects.filter(kind=POST_JOURNAL.name).count() == 1


def test_a_refund_cancelled_before_its_day_gives_the_credit_back_and_is_neither_transferred_nor_booked(
    refunds, staff, yamada
):
    later = timezone.localdate() + timedelta(days=3)
    refund = record_refund(customer=yamada, amount=1_000, transfer_on=later, reason="x", **ACCOUNT)
    assert credit_held(yamada.pk) == 0  # 9,000 overpaid: 8,000 refunded on 2025-04-10, the last 1,000 now
    with pytest.raises(ValidationError, match="Say why"):
        cancel_refund(refund, reason=" ", by=staff)
    cancellation = cancel_refund(refund, reason="the customer wants it on the next invoice", by=staff)
    assert credit_held(yamada.pk) == 1_000 and credit_held(yamada.pk, on=later) == 1_000
    assert cancellation.history.get().history_user == staff
    with pytest.raises(ValidationError, match="already cancelled"):
        cancel_refund(refund, reason="again", by=staff)
    with pytest.raises(ValidationError, match="cancelled refund is not transferred"):
        transfer_file([Refund.objects.get(pk=refund.pk)], later)
    booked = [e for e in journal.entries(Month.of(later)) if e.voucher == 6]
    assert all(e.amount == 0 for e in booked)  # the month's refunds: none live
    with pytest.raises(ValidationError, match="is past"):
        cancel_refund(refunds[0], reason="too late", by=staff)  # transferred on 2025-04-10


def test_the_admin_cancels_a_refund_with_its_reason_and_refuses_a_file_of_it(refunds, staff_client, yamada):
    later = timezone.localdate() + timedelta(days=3)
    refund = record_refund(customer=yamada, amount=1_000, transfer_on=later, reason="x", **ACCOUNT)
    answer = run_action(staff_client, Refund, "cancel", [refund], reason="recorded twice")
    assert answer.status_code == 302, messages_of(answer)
    assert Refund.objects.get(pk=refund.pk).cancellation.reason == "recorded twice"
    listed = staff_client.get(changelist_url(Refund), {"cancelled": "yes"}).context["cl"].result_list
    assert list(listed) == [refund]
    response = staff_client.post(changelist_url(Refund), {"action": "write_transfer_file",
                                                         "_selected_action": [refund.pk]}, follow=True)  # fmt: skip
    assert "cancelled refund is not transferred" in " ".join(messages_of(response))


def test_a_refund_and_its_cancellation_are_written_once(refunds, staff, yamada):
    later = timezone.localdate() + timedelta(days=3)
    refund = record_refund(customer=yamada, amount=1_000, transfer_on=later, reason="x", **ACCOUNT)
    cancellation = cancel_refund(refund, reason="recorded twice", by=staff)
    for row, words in ((refund, "A refund is never"), (cancellation, "A cancellation is never")):
        with pytest.raises(ValidationError, match=f"{words} changed"):
            row.save()
        with pytest.raises(ValidationError, match=f"{words} deleted"):
            row.delete()
