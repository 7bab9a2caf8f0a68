"""Delivering issued invoices: e-mailed through the outbox with the stored PDF attached by reference, or
marked for post; never delivered twice, failures retried, a delivery without an address queued once there is
one, resends naming who asked, a PDF that no longer matches its checksum refused; the month's paper as one PDF."""

import io
from datetime import date as D

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from backoffice.months import Month
from billing import invoice_pdf
from billing.models import InvoiceDocument
from outbox import sending
from outbox.choices import MessageState
from receivables.choices import DeliveryMethod
from receivables.models import DunningNotice, InvoiceDelivery
from receivables.services import delivery, dunning
from tests import factories as f
from tests.admin.conftest import changelist_url, run_action
from tests.tampering import behind_every_guard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def customers(yamada, sato):
    yamada.billing_contact_email = "keiri@yamada.example"
    yamada.save()
    sato.invoice_by_post = True
    sato.save()
    return yamada, sato


def test_e_mail_with_the_pdf_or_post_once_each(issue, real_pdf, customers):
    yamada, sato = customers
    real_pdf()
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    done, failed = delivery.deliver_due()
    assert failed == [] and len(done) == 2
    [message] = mail.outbox
    assert message.to == ["keiri@yamada.example"] and bills[yamada].display_number in message.subject
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"invoice-{bills[yamada].number:08d}.pdf", "application/pdf")
    assert content == bytes(bills[yamada].document.pdf)
    mailed = InvoiceDelivery.objects.get(invoice=bills[yamada])
    document = InvoiceDocument.objects.get(invoice=bills[yamada])
    assert (mailed.message.topic, mailed.message.key) == ("receivables.delivery", f"receivables.delivery:{mailed.pk}")
    assert (mailed.message.attachment_kind, mailed.message.attachment_id) == (invoice_pdf.KIND, document.pk)
    post = InvoiceDelivery.objects.get(invoice=bills[sato])
    assert (post.method, post.message, post.state_label) == (DeliveryMethod.POST, None, "to print and post")
    assert delivery.deliver_due() == ([], [])  # never twice
    assert len(mail.outbox) == 1


def test_a_failure_is_recorded_retried_and_resent_by_whom(issue, yamada, staff, staff_client, worked_off):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    _done, [failed] = delivery.deliver_due()
    assert (failed.message, failed.error) == (None, "The customer has no billing contact e-mail.")
    page = staff_client.get(changelist_url(InvoiceDelivery) + "?state=failed")
    assert list(page.context["cl"].result_list) == [failed]
    assert "The customer has no billing contact e-mail." in page.content.decode()
    yamada.billing_contact_email = "new@yamada.example"
    yamada.save()
    done, failed = delivery.deliver_due()  # the next day's run queues and sends it
    assert [(d.message.to, d.message.state) for d in done] == [("new@yamada.example", MessageState.SENT)]
    assert failed == []
    with worked_off():  # the rehearsal sends nothing; a worker sends it after the commit
        run_action(staff_client, InvoiceDelivery, "resend", [InvoiceDelivery.objects.get()])
    resent = InvoiceDelivery.objects.get(resend=True)
    assert (resent.requested_by, resent.message.state, resent.invoice) == (staff, MessageState.SENT, bill)
    assert resent.history.earliest().history_user == staff
    assert len(mail.outbox) == 2
    for state in ("failed", "sent"):
        assert staff_client.get(changelist_url(InvoiceDelivery) + f"?state={state}").status_code == 200


@pytest.mark.parametrize("model", [InvoiceDelivery, DunningNotice])
def test_the_lists_show_the_messages_in_a_constant_number_of_queries(
    issue, yamada, staff_client, django_assert_max_num_queries, model
):
    def deliver_and_dun(day):
        delivery.deliver_due()
        dunning.send_due(day)

    yamada.billing_contact_email = "keiri@yamada.example"
    yamada.save()
    customers = [f.customer(billing_contact_email=f"c{n}@example.jp") for n in range(20)]
    issue(2025, 2, (yamada, 10_000))
    deliver_and_dun(D(2025, 4, 7))
    staff_client.get(changelist_url(model))  # warm the session and the content types
    with django_assert_max_num_queries(20) as one:
        staff_client.get(changelist_url(model))
    issue(2025, 3, *[(c, 1_000) for c in customers])
    deliver_and_dun(D(2025, 5, 7))
    assert model.objects.count() > 20
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = staff_client.get(changelist_url(model))
    assert "c19@example.jp" in page.content.decode()


def test_a_changed_pdf_is_refused_when_the_e_mail_goes(issue, customers):
    yamada, _sato = customers
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    with behind_every_guard() as cursor:
        cursor.execute("UPDATE billing_invoicedocument SET pdf = %s WHERE invoice_id = %s", [b"%PDF-1.7 x", bill.pk])
    _done, [failed] = delivery.deliver_due()
    assert failed.error == (
        f"DocumentNotIntact: The stored PDF of invoice {bill.display_number} does not match its checksum: not sent."
    )
    assert (failed.message.state, mail.outbox) == (MessageState.FAILED, [])
    assert sending.send(failed.message).state == MessageState.FAILED  # every try, until it is put right


def test_the_months_paper_invoices_as_one_pdf(issue, real_pdf, customers, tmp_path):
    yamada, sato = customers
    other = f.customer(invoice_by_post=True)
    real_pdf()
    issue(2025, 2, (yamada, 10_000), (sato, 5_000), (other, 1_000))
    pages = len(PdfReader(io.BytesIO(delivery.paper_pdf(Month(2025, 2)))).pages)
    assert pages == 2  # sato's and the other's; yamada's goes by e-mail
    call_command("print_paper_invoices", month="2025-02", output=str(tmp_path / "paper.pdf"))
    assert (tmp_path / "paper.pdf").read_bytes()[:5] == b"%PDF-"
