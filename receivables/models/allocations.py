"""Allocations (消込): a payment's money booked to an invoice or to the customer's credit, a negative
invoice's amount held as credit (前受金), a transfer fee accepted in settlement, a credit spent on an
invoice. Never deleted: a match is undone by marking its allocations undone, with who, when and why, in
the history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import yen
from billing.models import Invoice
from customers.models import Customer

from ..choices import AllocationKind
from .payments import Payment
from .ranges import RECEIVED_YEN, SPENT_YEN

K = AllocationKind


class AllocationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(undone_at__isnull=True)


class Allocation(models.Model):
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations", verbose_name=_("payment")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations", verbose_name=_("invoice")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AllocationKind.choices)
    amount = models.BigIntegerField(_("amount (yen)"), validators=RECEIVED_YEN.validators)
    credit = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("credit spent"),
    )
    credit_used = models.BigIntegerField(
        _("credit used (yen)"), default=0, editable=False, validators=SPENT_YEN.validators
    )
    booked_on = DateField(
        _("booked on"),
        help_text=_(
            "The day the money settles: the payment's day; for a credit applied, the later of the "
            "credit's payment and the invoice's issue."
        ),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undo_reason = models.TextField(_("reason for undoing"), blank=True)

    history = HistoricalRecords()
    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-created_at", "-id"]
        constraints = [
            RECEIVED_YEN.constraint("amount"),
            SPENT_YEN.constraint("credit_used"),
            Check(
                condition=Q(kind__in=AllocationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of allocation."),
            ),
            Check(
                condition=Q(
                    kind__in=[K.PAYMENT, K.TRANSFER_FEE],
                    payment__isnull=False,
                    invoice__isnull=False,
                    credit__isnull=True,
                )
                | Q(kind=K.CREDIT, payment__isnull=False, invoice__isnull=True, credit__isnull=True)
                | Q(kind=K.CREDIT, payment__isnull=True, invoice__isnull=False, credit__isnull=True)
                | Q(kind=K.CREDIT_APPLIED, payment__isnull=True, invoice__isnull=False, credit__isnull=False),
                name="%(app_label)s_%(class)s_shape_of_kind",
                field="kind",
                violation_error_message=_(
                    "A payment or a transfer fee names the payment and the invoice; a credit names the payment "
                    "or the negative invoice it comes from; a credit applied names the invoice and the credit it "
                    "spends."
                ),
            ),
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(kind=K.CREDIT, undone_at__isnull=True),
                name="%(app_label)s_%(class)s_negative_invoice_credited_once",
                violation_error_message=_("This negative invoice is already the customer's credit."),
            ),
            Check(
                condition=Q(credit_used__lte=F("amount")) & (Q(kind=K.CREDIT) | Q(credit_used=0)),
                name="%(app_label)s_%(class)s_credit_used_within_credit",
                field="credit_used",
                violation_error_message=_("A credit is never spent beyond its amount."),
            ),
            Check(
                condition=Q(undone_at__isnull=True, undone_by__isnull=True, undo_reason="")
                | (Q(undone_at__isnull=False) & ~Q(undo_reason="")),
                name="%(app_label)s_%(class)s_undone_with_reason",
                field="undo_reason",
                violation_error_message=_("A match is undone with a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {yen(self.amount)}"

    @property
    def live(self) -> bool:
        return self.undone_at is None

    @property
    def credit_left(self) -> int:
        return self.amount - self.credit_used if self.kind == K.CREDIT and self.live else 0

    def clean(self):
        """Only an issued invoice (numbered when its month closed) is paid."""
        if self.invoice_id and self.invoice.number is None:
            raise ValidationError(
                {
                    "invoice": _("Only an issued invoice receives payments: %(invoice)s is not issued yet.")
                    % {"invoice": self.invoice}
                }
            )
        if self.invoice_id and self.invoice.customer_id != self.customer_id:
            raise ValidationError({"invoice": _("The invoice is another customer's.")})

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An allocation is never deleted: undo the match, with a reason."))
