"""An invoice's stored PDF as an e-mail attachment, read by the outbox when the message goes (registered in
``BillingConfig.ready``): a PDF that no longer matches its checksum is refused, so the e-mail fails saying so."""

from django.utils.translation import gettext as _

from outbox.attachments import Attachment

from .models import InvoiceDocument
from .rendering import DocumentNotIntact

KIND = "billing.invoice_pdf"


def read(document_id: int) -> Attachment:
    document = InvoiceDocument.objects.select_related("invoice").get(pk=document_id)
    invoice = document.invoice
    if not document.intact():
        raise DocumentNotIntact(
            _("The stored PDF of invoice %(number)s does not match its checksum: not sent.")
            % {"number": invoice.display_number}
        )
    return Attachment(f"invoice-{invoice.number:08d}.pdf", bytes(document.pdf), "application/pdf")
