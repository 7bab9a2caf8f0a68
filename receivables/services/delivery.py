"""Delivering issued invoices: e-mailed to the billing contact with the stored PDF attached, or marked for
post when the customer asked for paper; every attempt recorded, failures retried by the daily job and
listed for staff, a resend recorded with who asked; a month's paper invoices printed as one PDF.

As with reminders, the delivery row is claimed and committed first (the first delivery of an invoice
is unique), the e-mail goes after the commit, never inside a transaction, and the row then says sent
or failed with the reason. The stored PDF is sent only when it still matches its checksum.
"""

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from backoffice.months import Month
from backoffice.moves import save_audited
from billing.models import Invoice

from ..choices import DeliveryMethod, DeliveryStatus
from ..models import InvoiceDelivery


def undelivered():
    """Issued invoices with a stored document and no first delivery yet."""
    first = InvoiceDelivery.objects.filter(invoice=OuterRef("pk"), resend=False)
    return (
        Invoice.objects.filter(number__isnull=False, document__isnull=False)
        .exclude(Exists(first))
        .select_related("customer")
        .order_by("number")
    )


def claim(invoice: Invoice, *, by=None, resend: bool = False) -> InvoiceDelivery | None:
    """Write (and commit) the delivery about to be made; None when the first delivery exists already."""
    customer = invoice.customer
    method = DeliveryMethod.POST if customer.invoice_by_post else DeliveryMethod.EMAIL
    row = InvoiceDelivery(
        invoice=invoice,
        method=method,
        status=DeliveryStatus.TO_POST if method == DeliveryMethod.POST else DeliveryStatus.SENDING,
        to_email="" if method == DeliveryMethod.POST else customer.billing_contact_email,
        resend=resend,
        requested_by=by,
    )
    try:
        with transaction.atomic():
            save_audited(row, by=by, reason=_("Resent") if resend else _("Delivered"))
    except (IntegrityError, ValidationError):
        return None  # delivered already, or claimed by a concurrent run
    return row


def _fail(delivery: InvoiceDelivery, error: str) -> bool:
    delivery.status, delivery.error = DeliveryStatus.FAILED, error[:1000]
    save_audited(delivery, by=delivery.requested_by, reason=_("Not sent"))
    return False


def send(delivery: InvoiceDelivery) -> bool:
    """E-mail a claimed delivery with the invoice's stored PDF (outside any transaction); True when sent.
    A paper delivery waits for the print run and counts as done."""
    if delivery.method == DeliveryMethod.POST:
        return True
    invoice = delivery.invoice
    document = invoice.document
    if not delivery.to_email:
        return _fail(delivery, _("The customer has no billing contact e-mail."))
    if not document.intact():
        return _fail(delivery, _("The stored PDF does not match its checksum: not sent."))
    message = EmailMessage(
        subject=_("Invoice %(number)s from %(issuer)s") % {"number": invoice.display_number,
                                                            "issuer": settings.INVOICE_ISSUER_NAME},
        body=_("Please find attached our invoice %(number)s, due on %(due)s.\n\n%(issuer)s")
        % {"number": invoice.display_number, "due": invoice.due_on, "issuer": settings.INVOICE_ISSUER_NAME},
        to=[delivery.to_email],
    )  # fmt: skip
    message.attach(f"invoice-{invoice.number:08d}.pdf", bytes(document.pdf), "application/pdf")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 (SMTP errors, refused connections, timeouts: recorded, retried)
        logging.getLogger(__name__).warning("Invoice delivery %s not sent: %s", delivery.pk, exc)
        return _fail(delivery, f"{type(exc).__name__}: {exc}")
    delivery.status, delivery.error = DeliveryStatus.SENT, ""
    save_audited(delivery, by=delivery.requested_by, reason=_("Sent"))
    return True


def deliver_due(*, by=None) -> tuple[list[InvoiceDelivery], list[InvoiceDelivery]]:
    """Deliver every issued invoice not yet delivered, and try the failed e-mails again: ``(done, failed)``."""
    claimed = [row for invoice in list(undelivered()) if (row := claim(invoice, by=by))]
    retried = list(InvoiceDelivery.objects.filter(status=DeliveryStatus.FAILED).select_related("invoice"))
    for row in retried:
        row.to_email = row.invoice.customer.billing_contact_email
    done, failed = [], []
    for row in claimed + retried:
        (done if send(row) else failed).append(row)
    return done, failed


def resend(invoice: Invoice, *, by) -> InvoiceDelivery:
    """Send an issued invoice again (the customer lost it, a new address): a new row naming who asked,
    e-mailed once the caller's transaction commits (nothing goes out if it is rolled back)."""
    row = claim(invoice, by=by, resend=True)
    transaction.on_commit(lambda: send(row))
    return row


def paper_pdf(month: Month) -> bytes:
    """The month's invoices of customers who asked for paper, in number order, as one PDF to print."""
    writer = PdfWriter()
    invoices = (
        Invoice.objects.filter(month__month=month.first_day, number__isnull=False, customer__invoice_by_post=True)
        .select_related("document")
        .order_by("number")
    )
    for invoice in invoices:
        writer.append(PdfReader(io.BytesIO(bytes(invoice.document.pdf))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
