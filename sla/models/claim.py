"""Claims for credits and the credits granted on them (CXM2 art. 13, Smart HUB art. 9).

A credit is granted only on the customer's claim, within 3 months of the day it became possible;
``sla.services.claims`` decides a claim and writes its credit, once, which billing then invoices once.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text, yen
from backoffice.ranges import YEN


class ClaimStatus(models.TextChoices):
    RECEIVED = "received", _("Received, to decide")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Claim(models.Model):
    """A customer's claim for the credits of one outage on one contract."""

    affected = models.ForeignKey(
        "sla.AffectedContract", on_delete=models.PROTECT, related_name="claims", verbose_name=_("affected contract")
    )
    claimed_on = DateField(_("claimed on"))
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.RECEIVED)
    deadline = DateField(_("claim deadline"), null=True, blank=True)
    decided_on = DateField(_("decided on"), null=True, blank=True)
    refusal_reason = models.TextField(_("refusal reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_on", "-id"]
        permissions = [("decide_claim", _("Can decide a claim"))]
        constraints = [
            models.UniqueConstraint(
                fields=["affected"],
                name="%(app_label)s_%(class)s_once_per_affected_contract",
                violation_error_message=_("A claim for this outage and contract is already recorded."),
            ),
            Check(
                condition=Q(status__in=ClaimStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a status of a claim."),
            ),
            Check(
                condition=~Q(status=ClaimStatus.REFUSED) | ~Q(refusal_reason=""),
                name="%(app_label)s_%(class)s_refusal_has_reason",
                field="refusal_reason",
                violation_error_message=_("A refused claim says why."),
            ),
            Check(
                condition=Q(status=ClaimStatus.RECEIVED) | Q(decided_on__isnull=False),
                name="%(app_label)s_%(class)s_decision_dated",
                field="decided_on",
                violation_error_message=_("A decided claim has its decision date."),
            ),
        ]

    def __str__(self):
        return f"{self.affected} ({date_text(self.claimed_on)})"

    def clean(self):
        """A claim comes after the outage started."""
        if self.affected_id and self.claimed_on and self.claimed_on < self.affected.outage.started_on:
            raise ValidationError(
                {
                    "claimed_on": _("A claim comes after the outage started (%(date)s).")
                    % {"date": date_text(self.affected.outage.started_on)}
                }
            )


class CreditStatus(models.TextChoices):
    GRANTED = "granted", _("Granted, not yet invoiced")
    INVOICED = "invoiced", _("Invoiced")


#: Claim moves: a received claim is decided once.
CLAIM_MOVES = {ClaimStatus.RECEIVED: {ClaimStatus.GRANTED, ClaimStatus.REFUSED}}


class Credit(models.Model):
    """The credit granted on a claim, after the monthly cap: a negative line on the next invoice."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="credit", verbose_name=_("claim"))
    availability_amount = models.PositiveBigIntegerField(_("availability credit (yen)"), validators=YEN.validators)
    notification_amount = models.PositiveBigIntegerField(_("notification credit (yen)"), validators=YEN.validators)
    granted_on = DateField(_("granted on"))
    status = models.CharField(_("status"), max_length=10, choices=CreditStatus.choices, default=CreditStatus.GRANTED)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoiced_on = DateField(_("invoiced on"), null=True, blank=True)

    history = HistoricalRecords()

    #: A credit's one move (``backoffice.moves``): invoiced once billing issued it.
    TRANSITIONS = {CreditStatus.GRANTED: {CreditStatus.INVOICED}, CreditStatus.INVOICED: set()}

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["-granted_on", "-id"]
        constraints = [
            YEN.constraint("availability_amount"),
            YEN.constraint("notification_amount"),
            Check(
                condition=Q(availability_amount__gt=0) | Q(notification_amount__gt=0),
                name="%(app_label)s_%(class)s_not_zero",
                field="availability_amount",
                violation_error_message=_("A credit is granted only for an amount."),
            ),
            Check(
                condition=Q(status__in=CreditStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a status of a credit."),
            ),
            Check(
                condition=Q(status=CreditStatus.GRANTED) | Q(invoiced_on__isnull=False),
                name="%(app_label)s_%(class)s_invoice_dated",
                field="invoiced_on",
                violation_error_message=_("An invoiced credit has its invoice date."),
            ),
        ]

    def __str__(self):
        return f"{self.claim.affected.contract.number} {yen(-self.amount)}"

    @property
    def amount(self) -> int:
        return self.availability_amount + self.notification_amount

    @property
    def source_key(self) -> str:
        """The key billing invoices this credit under, once (billing.sources)."""
        return f"sla.credit:{self.pk}"
