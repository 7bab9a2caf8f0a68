"""Invoices (請求書), their lines and their tax per rate.

An invoice gathers a customer's lines of one month. While the month is open the run adds lines;
closing numbers it, dates it and fixes its totals. After that nothing of it changes: ``save``,
``delete`` and the querysets' ``update``/``delete`` refuse (the service, the admin and any script
alike; on PostgreSQL the database's triggers too, see ``guards``), and a correction is a new line of a
later month that ``adjusts`` the original.
"""

from django.conf import settings
from django.contrib.admin import display as admin_display
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import yen
from billing.sources import FeeKind
from contracts.models import Contract
from customers.models import Customer

from .guards import FrozenRowsQuerySet, WrittenOnce
from .months import BillingMonth, MonthState
from .ranges import INVOICE_NUMBER, QUANTITY, SIGNED_YEN, TAX_PERCENT

CLOSED_REFUSAL = _(
    "The billing month %(month)s is closed: its invoices are issued and never change; "
    "a line is corrected by an adjustment in an open month."
)


def refuse_if_closed(month_id) -> None:
    """Refuse a write into a closed month (one query: the month's current state)."""
    month = BillingMonth.objects.filter(pk=month_id, state=MonthState.CLOSED).first()
    if month is not None:
        raise ValidationError(CLOSED_REFUSAL % {"month": month})


class InvoiceQuerySet(FrozenRowsQuerySet):
    frozen = Q(number__isnull=False) | Q(month__state=MonthState.CLOSED)


class InvoiceLineQuerySet(FrozenRowsQuerySet):
    frozen = Q(month__state=MonthState.CLOSED)


class Invoice(models.Model):
    """One customer's invoice of one month; numbered and issued when the month closes."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("customer")
    )
    month = models.ForeignKey(
        BillingMonth, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("billing month")
    )
    number = models.PositiveIntegerField(
        _("invoice number"), unique=True, null=True, blank=True, validators=INVOICE_NUMBER.validators
    )
    issued_on = DateField(_("issued on"), null=True, blank=True)
    due_on = DateField(_("payment due"), null=True, blank=True)
    period_start = DateField(_("transaction period from"))
    period_end = DateField(_("transaction period to"))
    subtotal = models.BigIntegerField(_("amount before tax (yen)"), default=0, validators=SIGNED_YEN.validators)
    tax = models.BigIntegerField(_("consumption tax (yen)"), default=0, validators=SIGNED_YEN.validators)
    total = models.BigIntegerField(_("total (yen)"), default=0, validators=SIGNED_YEN.validators)
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True)
    issuer_registration_number = models.CharField(_("issuer registration number"), max_length=14, blank=True)
    customer_name = models.CharField(_("customer name as issued"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-month__month", "number", "customer__code"]
        indexes = [
            # The receivables list's order (the admin adds the id): one page is read from it, not sorted from all.
            models.Index(
                F("due_on"), F("number"), F("id").desc(), condition=Q(number__isnull=False), name="invoice_due_order"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["customer", "month"], name="billing_invoice_one_per_customer_month"),
            INVOICE_NUMBER.constraint("number"),
            SIGNED_YEN.constraint("subtotal"),
            SIGNED_YEN.constraint("tax"),
            SIGNED_YEN.constraint("total"),
            Check(
                condition=Q(number__isnull=True, issued_on__isnull=True, due_on__isnull=True)
                | Q(number__isnull=False, issued_on__isnull=False, due_on__isnull=False),
                name="billing_invoice_issued_together",
                field="number",
                violation_error_message=_("An issued invoice has its number, issue date and due date together."),
            ),
            Check(
                condition=Q(period_end__gte=models.F("period_start")),
                name="billing_invoice_period_in_order",
                field="period_end",
                violation_error_message=_("The transaction period ends on or after its first day."),
            ),
            Check(
                condition=Q(number__isnull=True) | Q(issuer_registration_number__regex=r"^T[0-9]{13}$"),
                name="billing_invoice_registration_number_format",
                field="issuer_registration_number",
                violation_error_message=_("A registration number is T followed by 13 digits (qualified invoice)."),
            ),
        ]

    def __str__(self):
        return f"{self.display_number} {self.customer_name or self.customer}"  # the name is copied at issue

    def save(self, *args, **kwargs):
        if self.month_id:
            refuse_if_closed(self.month_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        Invoice.objects.filter(pk=self.pk).refuse_frozen()
        return super().delete(*args, **kwargs)

    @property
    @admin_display(description=_("invoice number"))
    def display_number(self) -> str:
        return f"No.{self.number:08d}" if self.number else str(_("(not issued)"))

    def clean(self):
        if self.month_id:
            refuse_if_closed(self.month_id)


class InvoiceLine(models.Model):
    """One charge on an invoice, written once per source key and month; credits are negative."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("invoice"))
    month = models.ForeignKey(
        BillingMonth, on_delete=models.PROTECT, related_name="lines", verbose_name=_("billing month")
    )
    source_key = models.CharField(_("source key"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=FeeKind.choices)
    description = models.CharField(_("description"), max_length=300)
    occurred_on = DateField(_("date of the charge"))
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contract")
    )
    service_code = models.CharField(_("service"), max_length=20, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True, validators=QUANTITY.validators)
    unit_price = models.BigIntegerField(_("unit price (yen)"), null=True, blank=True, validators=SIGNED_YEN.validators)
    amount = models.BigIntegerField(_("amount (yen)"), validators=SIGNED_YEN.validators)
    tax_rate = models.PositiveSmallIntegerField(_("tax rate (%)"), validators=TAX_PERCENT.validators)
    adjusts = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("adjusts line"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    history = HistoricalRecords()
    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "id"]
        permissions = [("correct_invoiceline", "Can correct an invoice line")]
        constraints = [
            models.UniqueConstraint(fields=["source_key", "month"], name="billing_invoiceline_key_once_per_month"),
            SIGNED_YEN.constraint("amount"),
            SIGNED_YEN.constraint("unit_price"),
            QUANTITY.constraint("quantity"),
            TAX_PERCENT.constraint("tax_rate"),
            Check(
                condition=Q(kind__in=FeeKind.values),
                name="billing_invoiceline_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of invoice line."),
            ),
            Check(
                condition=Q(adjusts__isnull=True, kind__in=[k for k in FeeKind.values if k != FeeKind.ADJUSTMENT])
                | (Q(adjusts__isnull=False, kind=FeeKind.ADJUSTMENT) & ~Q(reason="")),
                name="billing_invoiceline_adjustment_names_original",
                field="adjusts",
                violation_error_message=_("An adjustment line names the line it corrects and the reason."),
            ),
        ]

    def __str__(self):
        return f"{self.description} {yen(self.amount)}"

    def save(self, *args, **kwargs):
        if self.month_id:
            refuse_if_closed(self.month_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        InvoiceLine.objects.filter(pk=self.pk).refuse_frozen()
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.month_id:
            refuse_if_closed(self.month_id)


class InvoiceTax(WrittenOnce):
    """The total and the consumption tax of one rate on an issued invoice (rounded down once per rate).

    Written once, in bulk, as the invoice is issued; never saved again nor deleted.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="taxes", verbose_name=_("invoice"))
    rate = models.PositiveSmallIntegerField(_("tax rate (%)"), validators=TAX_PERCENT.validators)
    taxable = models.BigIntegerField(_("amount before tax (yen)"), validators=SIGNED_YEN.validators)
    tax = models.BigIntegerField(_("consumption tax (yen)"), validators=SIGNED_YEN.validators)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tax per rate")
        verbose_name_plural = _("taxes per rate")
        ordering = ["invoice", "-rate"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "rate"], name="billing_invoicetax_one_per_rate"),
            TAX_PERCENT.constraint("rate"),
            SIGNED_YEN.constraint("taxable"),
            SIGNED_YEN.constraint("tax"),
        ]

    def __str__(self):
        return f"{self.rate}% {yen(self.taxable)} / {yen(self.tax)}"
