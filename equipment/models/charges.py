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
from contracts.models.ranges import UNITS, YEN

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


class RentalCancellationFee(models.Model):
    """The cancellation fee of routers no longer rented: units × the fee per unit frozen on the option.

    Arises when the customer stops the option by notice (ISP Platform art. 7 ¶9; one row per option)
    or when an accepted change lowers its unit count (one row per change). Billing derives the amount
    from those facts (``equipment.billing_source``); this row is the record staff follow.
    """

    option = models.ForeignKey(
        "contracts.ContractOption",
        on_delete=models.PROTECT,
        related_name="rental_cancellation_fees",
        verbose_name=_("router rental option"),
    )
    change = models.OneToOneField(
        "contracts.ContractChange",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change of contract"),
    )
    units = models.PositiveSmallIntegerField(_("units"), validators=UNITS.validators)
    fee_per_unit = models.PositiveBigIntegerField(_("fee per unit (yen)"), validators=YEN.validators)
    amount = models.PositiveBigIntegerField(_("amount (yen)"), validators=YEN.validators)
    arises_on = DateField(_("arises on"))
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_on = DateField(_("invoiced on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("router rental cancellation fee")
        verbose_name_plural = _("router rental cancellation fees")
        ordering = ["-arises_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["option"],
                condition=Q(change__isnull=True),
                name="equipment_rentalcancellationfee_once_per_stop",
                violation_error_message=_("This option's stop already has its cancellation fee."),
            ),
            Check(
                condition=Q(amount=F("units") * F("fee_per_unit")),
                name="%(app_label)s_%(class)s_amount_is_units_times_fee",
                field="amount",
                violation_error_message=_(
                    "The amount is the units times the fee per unit (ISP Platform annex 1 3.(3))."
                ),
            ),
            UNITS.constraint("units"),
            YEN.constraint("fee_per_unit"),
            YEN.constraint("amount"),
        ]

    def __str__(self):
        return f"{self.option} {self.units} × {yen(self.fee_per_unit)}"

    @property
    def source_key(self) -> str:
        """The key billing invoices the fee by: the fact it arises from (``billing_source``)."""
        if self.change_id is None:
            return f"equipment.rental_stop:{self.option_id}"
        return f"equipment.rental_reduction:{self.change_id}"
