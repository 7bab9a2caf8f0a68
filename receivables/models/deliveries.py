"""Deliveries of issued invoices: each e-mail (and each resend), a message of the outbox, or paper copy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from billing.models import Invoice

from ..choices import TO_POST, DeliveryMethod
from .mailed import Mailed


class InvoiceDelivery(Mailed):
    """One delivery of an issued invoice. The first is written once per invoice (a unique constraint), so
    the daily job never sends an invoice twice; a resend is a further row naming who asked for it. An e-mail
    has its message in the outbox (once the customer has a billing contact e-mail); a paper one has none."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("invoice"))
    method = models.CharField(_("method"), max_length=8, choices=DeliveryMethod.choices)
    resend = models.BooleanField(_("resent"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    printed_at = models.DateTimeField(
        _("printed at"), null=True, blank=True, help_text=_("A paper invoice: when it was printed for the post.")
    )
    posted_on = models.DateField(
        _("posted on"),
        null=True,
        blank=True,
        help_text=_("A paper invoice: the day it was posted; dunning waits for it."),
    )

    UNADDRESSED = Q(message__isnull=True, method=DeliveryMethod.EMAIL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice delivery")
        verbose_name_plural = _("invoice deliveries")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("resend_invoicedelivery", "Can resend an invoice"),
            ("deliver_invoicedelivery", "Can deliver a month's invoices, print and post the paper ones"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(resend=False),
                name="%(app_label)s_%(class)s_first_once",
                violation_error_message=_("This invoice was already delivered; resend it instead."),
            ),
            Check(
                condition=Q(method__in=DeliveryMethod.values),
                name="%(app_label)s_%(class)s_method_valid",
                field="method",
                violation_error_message=_("Not a method of a delivery."),
            ),
            Check(
                condition=Q(method=DeliveryMethod.POST) | Q(printed_at__isnull=True, posted_on__isnull=True),
                name="%(app_label)s_%(class)s_only_paper_posted",
                field="posted_on",
                violation_error_message=_("Only a paper invoice is printed and posted."),
            ),
            Check(
                condition=Q(method=DeliveryMethod.EMAIL) | Q(message__isnull=True),
                name="%(app_label)s_%(class)s_post_not_mailed",
                field="message",
                violation_error_message=_("An invoice sent by post has no e-mail."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.get_method_display()}"

    @property
    def unaddressed(self) -> bool:
        return self.method == DeliveryMethod.EMAIL and self.message_id is None

    @property
    def state_label(self) -> str:
        if self.method == DeliveryMethod.POST:
            return str(TO_POST)
        return super().state_label
