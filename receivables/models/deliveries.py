"""Deliveries of issued invoices: each e-mail (and each resend) or paper copy, recorded with its outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from billing.models import Invoice

from ..choices import DeliveryMethod, DeliveryStatus


class InvoiceDelivery(models.Model):
    """One delivery of an issued invoice. The first is written once per invoice (a unique constraint), so
    the daily job never sends an invoice twice; a resend is a further row naming who asked for it."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("invoice"))
    method = models.CharField(_("method"), max_length=8, choices=DeliveryMethod.choices)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices)
    to_email = models.EmailField(_("sent to"), blank=True)
    resend = models.BooleanField(_("resent"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    attempted_at = models.DateTimeField(_("attempted at"), auto_now=True)
    error = models.TextField(_("why it failed"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice delivery")
        verbose_name_plural = _("invoice deliveries")
        ordering = ["-attempted_at", "-id"]
        permissions = [("resend_invoicedelivery", "Can resend an invoice")]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(resend=False),
                name="%(app_label)s_%(class)s_first_once",
                violation_error_message=_("This invoice was already delivered; resend it instead."),
            ),
            Check(
                condition=Q(method__in=DeliveryMethod.values) & Q(status__in=DeliveryStatus.values),
                name="%(app_label)s_%(class)s_choices_valid",
                field="status",
                violation_error_message=_("Not a method or status of a delivery."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.get_method_display()} {self.get_status_display()}"
