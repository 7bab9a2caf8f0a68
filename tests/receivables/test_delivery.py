"""Delivering issued invoices: e-mailed with the stored PDF after commit, or marked for post; every attempt
recorded, never delivered twice, failures retried, resends naming who asked; the month's paper as one PDF."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from backoffice.months import Month
from receivables.choices import DeliveryMethod, DeliveryStatus
from receivables.models import InvoiceDelivery
from receivables.services import delivery
from tests import factories as f
from tests.admin.conftest import changelist_url, run_action

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
    post = InvoiceDelivery.objects.get(invoice=bills[sato])
    assert (post.method, post.status) == (DeliveryMethod.POST, DeliveryStatus.TO_POST)
    assert delivery.deliver_due() == ([], [])  # never twice
    assert len(mail.outbox) == 1


def test_a_failure_is_recorded_retried_and_resent_by_whom(
    issue, yamada, staff, staff_client, django_capture_on_commit_callbacks
):
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    _done, [failed] = delivery.deliver_due()
    assert failed.error == "The customer has no billing contact e-mail."
    yamada.billing_contact_email = "new@yamada.example"
    yamada.save()
    done, failed = delivery.deliver_due()  # the next day's run tries it again
    assert [d.status for d in done] == [DeliveryStatus.SENT] and failed == []
    with django_capture_on_commit_callbacks(execute=True):  # the rehearsal sends nothing; the action after commit
        run_action(staff_client, InvoiceDelivery, "resend", [InvoiceDelivery.objects.get()])
    resent = InvoiceDelivery.objects.get(resend=True)
    assert (resent.requested_by, resent.status, resent.invoice) == (staff, DeliveryStatus.SENT, bill)
    assert len(mail.outbox) == 2
    assert staff_client.get(changelist_url(InvoiceDelivery) + "?status__exact=failed").status_code == 200


def test_a_changed_pdf_is_not_sent(issue, customers, monkeypatch):
    yamada, _sato = customers
    issue(2025, 2, (yamada, 10_000))
    monkeypatch.setattr("billing.models.InvoiceDocument.intact", lambda self: False)
    _done, failed = delivery.deliver_due()
    assert "checksum" in failed[0].error and mail.outbox == []


def test_the_months_paper_invoices_as_one_pdf(issue, real_pdf, customers, tmp_path):
    yamada, sato = customers
    other = f.customer(invoice_by_post=True)
    real_pdf()
    issue(2025, 2, (yamada, 10_000), (sato, 5_000), (other, 1_000))
    pages = len(PdfReader(io.BytesIO(delivery.paper_pdf(Month(2025, 2)))).pages)
    assert pages == 2  # sato's and the other's; yamada's goes by e-mail
    call_command("print_paper_invoices", month="2025-02", output=str(tmp_path / "paper.pdf"))
    assert (tmp_path / "paper.pdf").read_bytes()[:5] == b"%PDF-"
