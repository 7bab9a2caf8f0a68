"""What was sent: each issued invoice's page and PDF, written once at closing and never changed."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .guards import WrittenOnce
from .invoices import Invoice


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class InvoiceDocument(WrittenOnce):
    """The rendered HTML and PDF of an invoice, each with its SHA-256, so it can be shown again unchanged."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="document", verbose_name=_("invoice")
    )
    html = models.TextField(_("HTML page"))
    html_sha256 = models.CharField(_("HTML SHA-256"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["html", "pdf"])

    class Meta:
        verbose_name = _("invoice document")
        verbose_name_plural = _("invoice documents")
        ordering = ["-rendered_at"]

    def __str__(self):
        return str(self.invoice)

    def save(self, *args, **kwargs):
        """Written once (``WrittenOnce`` refuses a second save), with the checksums of what it stores."""
        self.html_sha256 = sha256(self.html.encode())
        self.pdf_sha256 = sha256(bytes(self.pdf))
        super().save(*args, **kwargs)

    def intact(self) -> bool:
        """Whether the stored bytes still match the checksums taken when they were written."""
        return sha256(self.html.encode()) == self.html_sha256 and sha256(bytes(self.pdf)) == self.pdf_sha256
