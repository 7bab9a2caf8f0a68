"""Managed Router: where the routers are installed and the consents given (art. 7 ¶1), and the advance
notices of planned unavailability (art. 13 ¶2)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField, MomentField
from backoffice.display import date_text
from contracts.choices import ServiceCode

from .base import ContractRecord

#: Art. 7 ¶1 (4): routers are not used outside Japan.
JAPAN = "JP"


class ConsentKind(models.TextChoices):
    """What art. 7 ¶1 (1) and (3) allow only with our consent."""

    MOVE = "move", _("Moving the router")
    REMOVAL = "removal", _("Removing the router")
    STOP = "stop", _("Stopping the router")
    MODIFICATION = "modification", _("Modifying the router")
    LENDING = "lending", _("Lending or transferring the router")


class Consent(ContractRecord):
    """Our consent to what art. 7 ¶1 (1) or (3) otherwise forbids, given on a day by a staff member."""

    services = (ServiceCode.MANAGED_ROUTER,)
    kept_on = _("Managed Router contracts")
    article = _("Managed Router art. 7 ¶1")

    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    requested_on = DateField(_("requested on"))
    given_on = DateField(_("given on"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    what = models.TextField(_("what is allowed"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("router consent")
        verbose_name_plural = _("router consents")
        ordering = ["-given_on", "-id"]
        constraints = [
            Check(
                condition=Q(kind__in=ConsentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a consent of the terms."),
            ),
            Check(
                condition=Q(given_on__gte=F("requested_on")),
                name="%(app_label)s_%(class)s_given_after_request",
                field="given_on",
                violation_error_message=_("A consent is given on or after it was requested."),
            ),
            Check(
                condition=~Q(what=""),
                name="%(app_label)s_%(class)s_says_what",
                field="what",
                violation_error_message=_("Say what is allowed."),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.get_kind_display()} {date_text(self.given_on)}"


class InstallationSite(ContractRecord):
    """Where a Managed Router contract's routers are installed from a day: in Japan (art. 7 ¶1 (4)), and
    moved only with our consent (art. 7 ¶1 (1)), so every site after the first names the consent to move."""

    services = (ServiceCode.MANAGED_ROUTER,)
    kept_on = _("Managed Router contracts")
    article = _("Managed Router art. 7 ¶1")

    installed_from = DateField(_("installed from"))
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.TextField(_("address"))
    country = models.CharField(
        _("country"), max_length=2, default=JAPAN, help_text=_("Routers are used in Japan only (art. 7 ¶1 (4)).")
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("consent to move"),
        help_text=_("Every site after the first: our consent to move the router (art. 7 ¶1 (1))."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("router installation site")
        verbose_name_plural = _("router installation sites")
        ordering = ["contract", "-installed_from", "-id"]
        constraints = [
            Check(
                condition=Q(country=JAPAN),
                name="%(app_label)s_%(class)s_in_japan",
                field="country",
                violation_error_message=_("Routers are not used outside Japan (Managed Router art. 7 ¶1 (4))."),
            ),
            Check(
                condition=~Q(address=""),
                name="%(app_label)s_%(class)s_has_address",
                field="address",
                violation_error_message=_("Record the address."),
            ),
            models.UniqueConstraint(
                fields=["contract", "installed_from"],
                name="%(app_label)s_%(class)s_one_per_day",
                violation_error_message=_("The contract already has a site from this day."),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.address[:40]} ({date_text(self.installed_from)})"

    def clean(self):
        """A site after the contract's first is a move: it names our consent to move, given for this contract
        on or before the day (art. 7 ¶1 (1))."""
        super().clean()
        self.country = (self.country or "").strip().upper()
        if not self.contract_id or not self.installed_from:
            return
        earlier = InstallationSite.objects.filter(contract_id=self.contract_id, installed_from__lt=self.installed_from)
        if not earlier.exclude(pk=self.pk).exists():
            return
        consent = self.consent
        if consent is None or consent.kind != ConsentKind.MOVE or consent.contract_id != self.contract_id:
            raise ValidationError(
                {"consent": _("Moving the router needs our consent to move it (Managed Router art. 7 ¶1 (1)).")}
            )
        if consent.given_on > self.installed_from:
            raise ValidationError(
                {
                    "consent": _(
                        "The consent to move was given on %(date)s, after the move (Managed Router art. 7 ¶1 (1))."
                    )
                    % {"date": date_text(consent.given_on)}
                }
            )


class UnavailabilityCause(models.TextChoices):
    """Art. 13 ¶1: what may make the connectivity or data center service unusable."""

    SETTINGS = "settings", _("Settings change")
    SOFTWARE = "software", _("Software update")
    FAILURE = "failure", _("Failure")
    OPERATIONS = "operations", _("Other operational reasons")


class UnavailabilityNotice(ContractRecord):
    """Art. 13 ¶2: we tell the customer in advance that its service will be unusable, why and for how long,
    unless an emergency leaves no time ("緊急やむを得ないとき")."""

    services = (ServiceCode.MANAGED_ROUTER,)
    kept_on = _("Managed Router contracts")
    article = _("Managed Router art. 13 ¶2")

    starts_at = MomentField(_("unusable from"))
    ends_at = MomentField(_("unusable until"))
    cause = models.CharField(_("cause"), max_length=20, choices=UnavailabilityCause.choices)
    reason = models.TextField(_("reason notified"))
    notified_on = DateField(_("notified on"), null=True, blank=True)
    emergency = models.BooleanField(
        _("emergency"), default=False, help_text=_("No time to notify in advance (art. 13 ¶2, proviso).")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advance notice of unavailability")
        verbose_name_plural = _("advance notices of unavailability")
        ordering = ["-starts_at", "-id"]
        constraints = [
            Check(
                condition=Q(cause__in=UnavailabilityCause.values),
                name="%(app_label)s_%(class)s_cause_valid",
                field="cause",
                violation_error_message=_("Not a cause of art. 13 ¶1."),
            ),
            Check(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                field="ends_at",
                violation_error_message=_("The period ends after it starts."),
            ),
            Check(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_has_reason",
                field="reason",
                violation_error_message=_("Record the reason notified (Managed Router art. 13 ¶2)."),
            ),
            Check(
                condition=Q(emergency=True) | Q(notified_on__isnull=False),
                name="%(app_label)s_%(class)s_notified_unless_emergency",
                field="notified_on",
                violation_error_message=_(
                    "The customer is notified in advance unless an emergency leaves no time (Managed Router art. "
                    "13 ¶2)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.get_cause_display()} {date_text(self.starts_at)}"

    def clean(self):
        """Notified in advance, before the period starts, unless in an emergency (art. 13 ¶2)."""
        super().clean()
        if self.emergency or not self.notified_on or not self.starts_at:
            return
        if self.notified_on > timezone.localtime(self.starts_at).date():
            raise ValidationError(
                {
                    "notified_on": _(
                        "An advance notice is given by the day the service becomes unusable; otherwise record "
                        "the emergency (Managed Router art. 13 ¶2)."
                    )
                }
            )
