"""The receivables admin: import a bank file, the worklist of payments, match by hand (the name learned),
undo with a reason, receivables with aging and range searches, constant query counts."""

from datetime import date as D

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from receivables import worklists
from receivables.models import Allocation, BankFile, Payment, Receivable, TransferName
from receivables.services.allocations import match
from receivables.services.payments import record_payment
from tests import factories as f
from tests.admin.conftest import change_url, changelist_url, messages_of, run_action

from . import zengin_bytes as z

pytestmark = pytest.mark.django_db


def notice(*data):
    total = sum(int(d[19:29]) for d in data)
    return b"".join([z.notice_header(), *data, z.notice_trailer(len(data), total), z.end()])


def upload(client, data, worked_off, dry_run=False):
    """The upload page, then its job done by a worker: the page's answer, and the job's report."""
    url = reverse("admin:receivables_bankfile_import")
    fields = {"file": SimpleUploadedFile("notice.txt", data)}
    if dry_run:
        fields["dry_run"] = "on"
    with worked_off():
        response = client.post(url, fields)
    if response.status_code != 302:
        return response, ""
    return response, Job.objects.get(pk=response.url.split("/")[-3]).result


def test_import_a_bank_file_in_the_admin_dry_run_first(staff_client, issue, yamada, worked_off):
    issue(2025, 2, (yamada, 10_000))
    data = notice(z.notice_data(1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"), z.notice_data(2, 500, "ﾀﾅｶ"))
    _page, report = upload(staff_client, data, worked_off, dry_run=True)
    assert "Dry run: nothing was written" in report
    assert not Payment.objects.exists()
    _page, report = upload(staff_client, data, worked_off)
    assert "2 payments written, 1 matched automatically" in report
    page, _report = upload(staff_client, data, worked_off)
    assert "already imported" in page.content.decode()
    worklist = staff_client.get(changelist_url(Payment) + "?matched=open").content.decode()
    assert "ﾀﾅｶ" in worklist and "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ" not in worklist


def test_match_by_hand_learns_the_name_and_undo_asks_a_reason(staff_client, issue, yamada, sato):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    payment = record_payment(received_on=D(2025, 3, 31), amount=11_000, payer_name="ﾔﾏﾀﾞ ﾄｳｷﾖｳ")
    url = reverse("admin:receivables_payment_match", args=[payment.pk])
    page = staff_client.get(url).content.decode()
    assert bills[yamada].display_number in page and yamada.name in page  # ranked: the amount agrees
    response = staff_client.post(url, {"invoices": [bills[yamada].pk], "book_fee": "on"})
    assert response.status_code == 302, response.context["form"].errors
    assert TransferName.objects.get(customer=yamada).name == "ﾔﾏﾀﾞ ﾄｳｷﾖｳ"
    refused = run_action(staff_client, Payment, "undo", [payment], reason="")
    assert Allocation.objects.live().count() == 1 and refused.status_code == 200
    run_action(staff_client, Payment, "undo", [payment], reason="wrong invoice")
    assert Allocation.objects.live().count() == 0
    assert Allocation.objects.get().undo_reason == "wrong invoice"


def test_match_by_hand_offers_each_invoice_in_the_staffs_words(staff_client, issue, yamada):
    """Not "due 2025-03-31": the label is Japanese, its date as staff write it."""
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    payment = record_payment(received_on=D(2025, 3, 31), amount=11_000, payer_name="ﾔﾏﾀﾞ")
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = staff_client.get(reverse("admin:receivables_payment_match", args=[payment.pk]))
    labels = dict(page.context["form"].fields["invoices"].choices)
    assert labels[bill.pk] == f"{bill.display_number} {yamada} — 支払期日 2025年3月31日 — 11,000円"


def test_a_payment_entered_by_hand(staff_client, staff):
    response = staff_client.post(
        reverse("admin:receivables_payment_add"),
        {"received_on": "2025-03-31", "amount": "11000", "payer_name": "ﾔﾏﾀﾞ", "bank_reference": "", "note": ""},
    )
    assert response.status_code == 302, messages_of(response)
    payment = Payment.objects.get()
    assert (payment.source, payment.amount, payment.created_by) == ("manual", 11_000, staff)


def test_receivables_show_balance_aging_and_search_by_ranges(staff_client, issue, yamada, sato, today):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 100_000))
    today(D(2025, 5, 15))  # due 2025-03-31: 45 days past due
    page = staff_client.get(changelist_url(Receivable)).content.decode()
    assert "Aging of receivables" in page and "121,000" in page and ">45<" in page
    found = staff_client.get(changelist_url(Receivable) + "?total__gte=50000&total__lte=200000&q=" + sato.code)
    assert list(found.context["cl"].result_list) == [bills[sato]]
    none = staff_client.get(changelist_url(Receivable) + "?issued_on__gte=2025-03-01")
    assert list(none.context["cl"].result_list) == []
    bad = staff_client.get(changelist_url(Receivable) + "?total__gte=abc")
    assert bad.status_code == 302  # a bad filter, said so


def test_invoices_past_due_on_the_index_and_in_the_list_are_those_still_owed(staff_client, issue, yamada, sato, today):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 100_000))
    match(record_payment(received_on=D(2025, 3, 1), amount=11_000, payer_name="ﾔﾏﾀﾞ"), [bills[yamada]], reason="x")
    today(D(2025, 5, 15))  # due 2025-03-31
    assert worklists.overdue_invoices() == 1
    past_due = staff_client.get(changelist_url(Receivable) + "?overdue=yes")
    assert list(past_due.context["cl"].result_list) == [bills[sato]]
    today(D(2025, 3, 31))
    assert worklists.overdue_invoices() == 0


@pytest.mark.parametrize("model", [Payment, Receivable, Allocation])
def test_lists_keep_a_constant_number_of_queries(staff_client, issue, django_assert_max_num_queries, model):
    customers = [f.customer(name_kana=f"カナ{n}") for n in range(5)]
    issue(2025, 2, *[(c, 1_000) for c in customers])
    for n, c in enumerate(customers):
        payment = record_payment(received_on=D(2025, 3, 31), amount=500 + n, payer_name=f"ｶﾅ{n}")
        match(payment, list(c.invoices.all()), reason="test")
    staff_client.get(changelist_url(model))  # warm the session and the content types
    with django_assert_max_num_queries(14) as five:
        staff_client.get(changelist_url(model))
    more = [f.customer() for _ in range(20)]
    issue(2025, 3, *[(c, 1_000) for c in more])
    for c in more:
        match(
            record_payment(received_on=D(2025, 4, 30), amount=700, payer_name="X"), list(c.invoices.all()), reason="t"
        )
    with django_assert_max_num_queries(len(five.captured_queries)):
        staff_client.get(changelist_url(model))


def test_the_bank_file_page_shows_its_checksum(staff_client, yamada, worked_off):
    upload(staff_client, notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ")), worked_off)
    bank_file = BankFile.objects.get()
    page = staff_client.get(change_url(bank_file)).content.decode()
    assert bank_file.sha256 in page and "intact" in page
