"""Delivering issued invoices: e-mailed to the billing contact with the stored PDF attached, or marked for
post when the customer asked for paper; failures retried and listed for staff, a resend recorded with who
asked; a month's paper invoices printed as one PDF.

As with dunning notices, the delivery's row and its e-mail in the outbox are written in one transaction
(the first delivery of an invoice is unique); the e-mail goes after the commit, and the outbox records
whether it went and tries a failed one again. The PDF is attached by reference (billing's
``invoice_pdf``): it is read when the e-mail goes and refused when it no longer matches its checksum.
A customer without a billing contact e-mail gets the delivery recorded without its e-mail, listed for
staff as not sent; the daily run queues it once there is one.

A paper invoice is printed with its month's print run (``print_paper``: its delivery records when) and
then marked posted by staff (``mark_posted``, with the day); dunning waits for that day (``awaiting_post``).
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.months import Month
from backoffice.moves import lock, save_audited
from billing import invoice_pdf
from billing.models import Invoice, InvoiceDocument
from outbox import sending

from ..choices import DeliveryMethod
from ..models import InvoiceDelivery
from .mailed import send_each

TOPIC = "receivables.delivery"


def undelivered(month: Month | None = None):
    """Issued invoices with a stored document and no first delivery yet (of ``month`` only, when given)."""
    first = InvoiceDelivery.objects.filter(invoice=OuterRef("pk"), resend=False)
    invoices = Invoice.objects.filter(number__isnull=False, document__isnull=False)
    if month is not None:
        invoices = invoices.filter(month__month=month.first_day)
    return invoices.exclude(Exists(first)).select_related("customer").order_by("number")


def awaiting_post() -> Q:
    """Invoices (a filter of ``Invoice``) on paper not posted yet: their first delivery is by post without a
    posting day, or there is none yet and the customer asked for paper. Dunning leaves them alone."""
    first = InvoiceDelivery.objects.filter(invoice=OuterRef("pk"), resend=False)
    unposted = first.filter(method=DeliveryMethod.POST, posted_on__isnull=True)
    return Q(Exists(unposted)) | (Q(customer__invoice_by_post=True) & ~Q(Exists(first)))


def _queue(delivery: InvoiceDelivery, *, dispatch: bool) -> None:
    """Post the delivery's e-mail with the invoice's PDF named, unless the customer has no billing contact e-mail."""
    invoice = delivery.invoice
    to = invoice.customer.billing_contact_email
    if not to:
        return
    values = {
        "number": invoice.display_number,
        "due": date_text(invoice.due_on),
        "issuer": settings.INVOICE_ISSUER_NAME,
    }
    delivery.message = sending.post(
        topic=TOPIC,
        key=f"{TOPIC}:{delivery.pk}",
        to=to,
        subject=_("Invoice %(number)s from %(issuer)s") % values,
        body=_("Please find attached our invoice %(number)s, due on %(due)s.\n\n%(issuer)s") % values,
        attach=(invoice_pdf.KIND, InvoiceDocument.objects.values_list("pk", flat=True).get(invoice=invoice)),
        dispatch=dispatch,
    )
    save_audited(delivery, by=delivery.requested_by, reason=_("Queued"))


def claim(invoice: Invoice, *, by=None, resend: bool = False, dispatch: bool = False) -> InvoiceDelivery | None:
    """Record the delivery and queue its e-mail in one transaction; None when the first delivery exists already.
    ``dispatch``: the e-mail goes by a worker once the caller's transaction commits (else ``send`` it)."""
    customer = invoice.customer
    method = DeliveryMethod.POST if customer.invoice_by_post else DeliveryMethod.EMAIL
    row = InvoiceDelivery(invoice=invoice, method=method, resend=resend, requested_by=by)
    try:
        with transaction.atomic():
            save_audited(row, by=by, reason=_("Resent") if resend else _("Delivered"))
            if method == DeliveryMethod.EMAIL:
                _queue(row, dispatch=dispatch)
    except (IntegrityError, ValidationError):
        return None  # delivered already, or claimed by a concurrent run
    return row


def address(delivery: InvoiceDelivery) -> InvoiceDelivery:
    """Queue the e-mail of a delivery recorded without one, now that the customer has a billing contact e-mail."""
    with transaction.atomic():
        row = lock(delivery)
        if row.unaddressed:
            _queue(row, dispatch=False)
    return row


def deliver_due(*, by=None, month: Month | None = None, progress=None) -> tuple[list, list]:
    """Deliver every issued invoice not yet delivered (of ``month`` only, when given), and try again the e-mails
    that could not go (failed, or waiting for an address): ``(done, failed)``; a paper delivery waits for the
    print run and counts as done. ``progress(done, total)`` follows the e-mails as they go."""
    waiting = InvoiceDelivery.objects.unsent().select_related("invoice__customer", "message").order_by("pk")
    if month is not None:
        waiting = waiting.filter(invoice__month__month=month.first_day)
    waiting = [
        address(row) if row.unaddressed and row.invoice.customer.billing_contact_email else row for row in waiting
    ]
    claimed = [row for invoice in list(undelivered(month)) if (row := claim(invoice, by=by))]
    rows = [*waiting, *claimed]
    done, failed = send_each((row for row in rows if row.method == DeliveryMethod.EMAIL), progress=progress)
    return [row for row in rows if row.method == DeliveryMethod.POST] + done, failed


def resend(invoice: Invoice, *, by) -> InvoiceDelivery | None:
    """Send an issued invoice again (the customer lost it, a new address): a new row naming who asked, its
    e-mail sent by a worker once the caller's transaction commits (nothing goes out if it is rolled back)."""
    return claim(invoice, by=by, resend=True, dispatch=True)


def paper_invoices(month: Month):
    """The month's issued invoices of customers who asked for paper, in number order."""
    return (
        Invoice.objects.filter(month__month=month.first_day, number__isnull=False, customer__invoice_by_post=True)
        .select_related("customer")
        .order_by("number")
    )


def paper_pdf(month: Month, *, progress=None) -> bytes:
    """The month's invoices of customers who asked for paper, in number order, as one PDF to print."""
    from pypdf import PdfReader, PdfWriter  # here: its import would slow every process's start

    writer = PdfWriter()
    invoices = list(paper_invoices(month).select_related("document"))
    for done, invoice in enumerate(invoices):
        if progress:
            progress(done, len(invoices))
        writer.append(PdfReader(io.BytesIO(bytes(invoice.document.pdf))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_paper(month: Month, *, by=None, progress=None) -> tuple[bytes, int]:
    """The month's print run: its paper invoices as one PDF, each one's post delivery recorded (claimed if the
    daily delivery has not come yet) with the time it was printed. ``(pdf, invoices printed)``."""
    content = paper_pdf(month, progress=progress)
    now = timezone.now()
    printed = 0
    for invoice in paper_invoices(month):
        claim(invoice, by=by)
        with transaction.atomic():
            row = InvoiceDelivery.objects.select_for_update().filter(invoice=invoice, resend=False).first()
            if row is None or row.method != DeliveryMethod.POST:
                continue
            printed += 1
            if row.printed_at is None:
                row.printed_at = now
                save_audited(row, by=by, reason=_("Printed for the post"))
    return content, printed


def mark_posted(delivery: InvoiceDelivery, *, on, by) -> InvoiceDelivery:
    """Staff posted the printed paper invoice on ``on``: from then on it may be dunned."""
    row = lock(delivery)
    if row.method != DeliveryMethod.POST:
        raise ValidationError(_("Only a paper invoice is posted; this one goes by e-mail."))
    if row.printed_at is None:
        raise ValidationError(_("This paper invoice has not been printed yet: print the month's paper invoices first."))
    if row.posted_on is not None:
        raise ValidationError(_("This paper invoice was posted on %(day)s.") % {"day": date_text(row.posted_on)})
    row.posted_on = on
    save_audited(row, by=by, reason=_("Posted"))
    return row
