"""Every receivables act from the admin: a button, a confirmation that shows what will happen (counts, which
customers), then a job with progress, done by a worker through the same services as the commands; the bank
file upload a job like the other uploads; dunning waits for a paper invoice to be printed and posted, and
billing's mail leaves from the billing address; a payment with no suggestion matched by a search, one
payment paying invoices of several customers."""

from datetime import date as D

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from billing.models import BillingMonth
from jobs.models import Job, JobState
from outbox.choices import MessageState
from outbox.models import Message
from receivables.background import DELIVER_INVOICES, DUNNING, JOURNAL_EXPORT, PRINT_PAPER, SEND_OUTBOX
from receivables.choices import DeliveryMethod
from receivables.models import Allocation, BankFile, DunningNotice, InvoiceDelivery, Payment, Receivable
from receivables.services import delivery, dunning
from receivables.services.bank_import_job import BANK_IMPORT
from receivables.services.payments import record_payment
from tests import factories as f
from tests.admin.conftest import changelist_url, messages_of, run_action

from . import zengin_bytes as z

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def customers(yamada, sato):
    """yamada by e-mail, sato on paper."""
    yamada.billing_contact_email = "keiri@yamada.example"
    yamada.save()
    sato.invoice_by_post = True
    sato.billing_contact_email = "sato@example.jp"
    sato.save()
    return yamada, sato


def act_url(model, name: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}")


def act(client, model, name: str, **fields):
    """The act's form, then its confirmation page, then "yes": ``(confirmation page, answer)``."""
    url = act_url(model, name)
    confirm = client.post(url, {"_step": "form", **fields})
    if confirm.status_code != 200 or not confirm.context["confirm"]:
        return confirm, None
    return confirm, client.post(url, {"_step": "confirm", **fields})


def test_deliver_a_month_from_the_admin_shows_who_then_runs_as_a_job(staff_client, staff, issue, customers, worked_off):
    yamada, sato = customers
    issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    month = BillingMonth.objects.get(month=D(2025, 2, 1))
    page = staff_client.get(changelist_url(InvoiceDelivery)).content.decode()
    assert act_url(InvoiceDelivery, "deliver") in page and act_url(InvoiceDelivery, "print_paper") in page
    with worked_off():
        confirm, answer = act(staff_client, InvoiceDelivery, "deliver", month=month.pk)
        text = confirm.content.decode()
        assert f"By e-mail with the PDF: 1 ({yamada})" in text and "post (printed with the paper run): 1" in text
        assert not InvoiceDelivery.objects.exists()  # the confirmation wrote nothing
        assert answer.status_code == 302
        job = Job.objects.get(kind=DELIVER_INVOICES.name)
        assert answer.url == reverse("admin:jobs_job_change", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.started_by, job.arguments) == (JobState.DONE, staff, {"month": "2025-02"})
    assert "2 invoices delivered" in job.result
    opened = staff_client.get(job.result_url)  # "open": the month's deliveries, no other month's
    assert opened.status_code == 200 and {d.invoice.month for d in opened.context["cl"].result_list} == {month}
    assert sorted(InvoiceDelivery.objects.values_list("method", flat=True)) == [
        DeliveryMethod.EMAIL,
        DeliveryMethod.POST,
    ]
    assert InvoiceDelivery.objects.get(method=DeliveryMethod.EMAIL).history.first().history_user == staff
    assert [m.to for m in mail.outbox] == [["keiri@yamada.example"]]
    confirm, answer = act(staff_client, InvoiceDelivery, "deliver", month=month.pk)
    assert answer is None and "delivered already" in " ".join(messages_of(confirm))


@override_settings(RECEIVABLES_DUNNING_DAYS=(7,))
def test_dunning_waits_for_the_paper_invoice_to_be_printed_and_posted(
    staff_client, staff, issue, customers, worked_off, real_pdf
):
    yamada, sato = customers
    real_pdf()
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    delivery.deliver_due()  # yamada's e-mailed; sato's waits for the print run
    mail.outbox.clear()
    sent, _failed = dunning.send_due(D(2025, 4, 10))
    assert [n.invoice.customer for n in sent] == [yamada]  # sato's invoice is not even printed yet
    month = BillingMonth.objects.get(month=D(2025, 2, 1))
    with worked_off():
        confirm, _answer = act(staff_client, InvoiceDelivery, "print_paper", month=month.pk)
    assert f"1 paper invoices in one PDF, in number order ({sato})" in confirm.content.decode()
    job = Job.objects.get(kind=PRINT_PAPER.name)
    assert job.state == JobState.DONE and job.result_url
    pdf = staff_client.get(job.result_url)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    paper = InvoiceDelivery.objects.get(invoice=bills[sato])
    assert paper.printed_at is not None and paper.posted_on is None
    assert dunning.send_due(D(2025, 4, 11)) == ([], [])  # printed, not yet posted: still left alone
    response = run_action(staff_client, InvoiceDelivery, "mark_posted", [paper], posted_on=D(2025, 4, 11))
    assert response.status_code == 302, messages_of(response)
    paper.refresh_from_db()
    assert paper.posted_on == D(2025, 4, 11) and paper.history.first().history_user == staff
    sent, _failed = dunning.send_due(D(2025, 4, 12))
    assert [n.invoice.customer for n in sent] == [sato]


@override_settings(RECEIVABLES_DUNNING_DAYS=(7,), BILLING_FROM_EMAIL="seikyu@isp.example")
def test_dunning_from_the_admin_names_the_invoices_and_mails_from_the_billing_address(
    staff_client, staff, issue, customers, worked_off, today
):
    yamada, _sato = customers
    issue(2025, 2, (yamada, 10_000))
    today(D(2025, 4, 10))
    page = staff_client.get(changelist_url(DunningNotice)).content.decode()
    assert act_url(DunningNotice, "dun") in page
    with worked_off():
        confirm, answer = act(staff_client, DunningNotice, "dun")
        assert (
            "1 dunning notices due today, 11,000" in confirm.content.decode() and "+7 days" in confirm.content.decode()
        )
        assert not DunningNotice.objects.exists()
    job = Job.objects.get(kind=DUNNING.name)
    assert job.state == JobState.DONE and "1 dunning notices sent" in job.result
    opened = staff_client.get(job.result_url)  # "open": the notices of the day the job ran
    assert [n.queued_on for n in opened.context["cl"].result_list] == [DunningNotice.objects.get().queued_on]
    assert [(m.to, m.from_email) for m in mail.outbox] == [(["keiri@yamada.example"], "seikyu@isp.example")]


def test_export_the_journal_from_the_admin_as_a_job_with_its_file(staff_client, issue, customers, worked_off):
    yamada, sato = customers
    issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    assert act_url(Receivable, "export_journal") in staff_client.get(changelist_url(Receivable)).content.decode()
    with worked_off():
        confirm, _answer = act(staff_client, Receivable, "export_journal", month="2025-02", format="csv")
    assert "The journal of February 2025 as CSV" in confirm.content.decode()
    job = Job.objects.get(kind=JOURNAL_EXPORT.name)
    assert job.state == JobState.DONE
    content = b"".join(staff_client.get(job.result_url).streaming_content).decode()
    assert "2025-02-28" in content


def test_send_the_outbox_now_from_the_admin(staff_client, issue, customers, worked_off, monkeypatch):
    yamada, _sato = customers
    issue(2025, 2, (yamada, 10_000))
    delivery.deliver_due()  # sent at once: nothing waits
    confirm, answer = act(staff_client, DunningNotice, "send_outbox")
    assert answer is None and "No e-mail is waiting" in " ".join(messages_of(confirm))
    Message.objects.update(state=MessageState.QUEUED, sent_at=None)
    mail.outbox.clear()
    with worked_off():
        confirm, answer = act(staff_client, DunningNotice, "send_outbox")
        assert (
            "1 e-mails waiting are sent now" in confirm.content.decode()
            and "keiri@yamada.example" in confirm.content.decode()
        )
    job = Job.objects.get(kind=SEND_OUTBOX.name)
    assert job.state == JobState.DONE and "1 e-mails sent, 0 not sent" in job.result
    assert len(mail.outbox) == 1


def test_the_bank_file_upload_is_a_job(staff_client, staff, issue, yamada, worked_off):
    issue(2025, 2, (yamada, 10_000))
    data = z.notice_header() + z.notice_data(1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ") + z.notice_trailer(1, 11_000) + z.end()
    url = reverse("admin:receivables_bankfile_import")
    with worked_off():
        response = staff_client.post(url, {"file": SimpleUploadedFile("notice.txt", data)})
        assert response.status_code == 302 and not Payment.objects.exists()  # the answer comes at once
    job = Job.objects.get(kind=BANK_IMPORT.name)
    assert job.state == JobState.DONE and "1 payments written, 1 matched automatically" in job.result
    assert job.upload.name == "notice.txt" and BankFile.objects.get().imported_by == staff
    again = staff_client.post(url, {"file": SimpleUploadedFile("notice.txt", data)})
    assert again.status_code == 200 and "already imported" in again.content.decode()


def test_a_payment_with_no_suggestion_is_matched_by_a_search_to_several_customers(staff_client, staff, issue):
    parent = f.customer(name="親会社ホールディングス株式会社", name_kana="オヤガイシヤ")
    child_a = f.customer(name="子会社エー株式会社", name_kana="コガイシヤエー")
    child_b = f.customer(name="子会社ビー株式会社", name_kana="コガイシヤビー")
    bills = issue(2025, 2, (child_a, 10_000), (child_b, 20_000))
    payment = record_payment(received_on=D(2025, 3, 25), amount=33_000, payer_name="ﾀﾅｶ ｲﾁﾛｳ")
    url = reverse("admin:receivables_payment_match", args=[payment.pk])
    page = staff_client.get(url)
    assert page.context["candidates"] == []
    assert {i.pk for i in page.context["found"]} == {bills[child_a].pk, bills[child_b].pk}  # by amount and date
    narrowed = staff_client.get(url, {"name": "ビー", "amount_max": "40000"})
    assert [i.pk for i in narrowed.context["found"]] == [bills[child_b].pk]
    response = staff_client.post(
        url + "?name=子会社", {"invoices": [bills[child_a].pk, bills[child_b].pk], "customer": parent.code}
    )
    assert response.status_code == 302, response.context["form"].errors
    rows = Allocation.objects.live().order_by("pk")
    assert [(row.customer, row.invoice, row.amount) for row in rows] == [
        (child_a, bills[child_a], 11_000),
        (child_b, bills[child_b], 22_000),
    ]
    payment.refresh_from_db()
    assert payment.customer == parent and payment.unallocated == 0
    assert rows[0].history.first().history_user == staff
