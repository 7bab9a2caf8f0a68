"""What the equipment app charges: failure handling, loss and damage charges (Managed Router annex 1
3.(5), art. 9; ISP Platform art. 7), from a staff-editable price list, approved by a second person;
and the router rental cancellation fee per unit (ISP Platform annex 1 3.(3))."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import yen
from backoffice.ranges import YEN

from ..choices import CHARGE_TRANSITIONS, ChargeKind, ChargeState
from .incidents import Incident
from .units import UnitModel

DECIDED = (ChargeState.APPROVED, ChargeState.REJECTED, ChargeState.INVOICED)


class PriceListEntry(models.Model):
    """The amount charged for a kind of charge on a unit model: a starting value staff may override."""

    unit_model = models.ForeignKey(
        UnitModel, on_delete=models.PROTECT, related_name="prices", verbose_name=_("unit model")
    )
    kind = models.CharField(_("charge"), max_length=20, choices=ChargeKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (yen)"), validators=YEN.validators)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list")
        ordering = ["unit_model", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_model", "kind"],
                name="equipment_pricelistentry_once",
                violation_error_message=_("This model already has a price for this charge."),
            ),
            Check(
                condition=Q(kind__in=ChargeKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of charge."),
            ),
            YEN.constraint("amount"),
        ]

    def __str__(self):
        return f"{self.unit_model} {self.get_kind_display()} {yen(self.amount)}"


class Charge(models.Model):
    """The one charge an incident may produce: assessed, then approved or rejected by another person."""

    incident = models.OneToOneField(
        Incident, on_delete=models.PROTECT, related_name="charge", verbose_name=_("incident")
    )
    kind = models.CharField(_("charge"), max_length=20, choices=ChargeKind.choices)
    list_amount = models.PositiveBigIntegerField(
        _("price list amount (yen)"), null=True, blank=True, validators=YEN.validators
    )
    amount = models.PositiveBigIntegerField(_("amount (yen)"), validators=YEN.validators)
    override_reason = models.TextField(_("reason for another amount"), blank=True)
    status = models.CharField(_("state"), max_length=10, choices=ChargeState.choices, default=ChargeState.ASSESSED)
    assessed_on = DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    decided_on = DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_on = DateField(_("invoiced on"), null=True, blank=True)

    history = HistoricalRecords()
    TRANSITIONS = CHARGE_TRANSITIONS

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["-assessed_on", "-id"]
        permissions = [("approve_charge", _("Can approve or reject charges"))]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"],
                name="equipment_charge_one_per_incident",
                violation_error_message=_("This incident already has its charge: one incident, one charge."),
            ),
            Check(
                condition=Q(kind__in=ChargeKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of charge."),
            ),
            Check(
                condition=Q(status__in=ChargeState.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a state of a charge."),
            ),
            Check(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("assessed_by")),
                name="%(app_label)s_%(class)s_approver_is_not_assessor",
                field="decided_by",
                violation_error_message=_("The person who assessed a charge cannot approve or reject it."),
            ),
            Check(
                condition=(Q(status=ChargeState.ASSESSED) & Q(decided_by__isnull=True) & Q(decided_on__isnull=True))
                | (Q(status__in=DECIDED) & Q(decided_by__isnull=False) & Q(decided_on__isnull=False)),
                name="%(app_label)s_%(class)s_decided_with_who_and_when",
                field="status",
                violation_error_message=_("A decided charge names who decided and when; an undecided one does not."),
            ),
            Check(
                condition=(Q(status=ChargeState.INVOICED) & ~Q(invoice_number="") & Q(invoiced_on__isnull=False))
                | (~Q(status=ChargeState.INVOICED) & Q(invoice_number="") & Q(invoiced_on__isnull=True)),
                name="%(app_label)s_%(class)s_invoiced_with_number",
                field="invoice_number",
                violation_error_message=_("An invoiced charge names its invoice and date, and only it."),
            ),
            Check(
                condition=Q(amount=F("list_amount")) | ~Q(override_reason=""),
                name="%(app_label)s_%(class)s_override_has_reason",
                field="override_reason",
                violation_error_message=_("An amount other than the price list's needs a reason."),
            ),
            YEN.constraint("amount"),
            YEN.constraint("list_amount"),
        ]

    def __str__(self):
        return f"{self.incident.unit} {self.get_kind_display()} {yen(self.amount)}"

    def get_absolute_url(self):
        return reverse("admin:equipment_charge_change", args=[self.pk])

    def clean(self):
        """A rejection says why: loss and damage charges are owed whatever the cause (Managed Router art. 9), so
        a charge not invoiced is explained in its decision note."""
        if self.status == ChargeState.REJECTED and not self.decision_note.strip():
            raise ValidationError(
                {
                    "decision_note": _(
                        "A charge is rejected with its reason in the note: the charges are owed whatever the cause "
                        "(Managed Router art. 9)."
                    )
                }
            )

    @property
    def source_key(self) -> str:
        """The key billing invoices this charge by, once (``billing.sources``)."""
        return f"equipment.charge:{self.pk}"
