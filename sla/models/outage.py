"""Outages (利用不能時間), the contracts each one hit, and the failure notifications (障害通知) sent for it.

The credits on ``AffectedContract`` are computed by ``sla.services.outages`` from ``sla.credits``; staff never
type them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.contacts import PhoneField
from backoffice.dates import DateField, MomentField, local_day
from backoffice.display import date_text, yen
from backoffice.ranges import YEN

from .. import credits
from .claim import Credit
from .moments import to_the_second

EXCLUSION_ARTICLES = _("CXM2 art. 8 ¶2 and annex 1; Smart HUB art. 5 ¶2 and annex 1")


class ExclusionReason(models.TextChoices):
    """Why an outage earns no credit (CXM2 art. 8 ¶2, Smart HUB art. 5 ¶2, annex 1 of both)."""

    CUSTOMER_BREACH = "customer_breach", _("The customer breached its duties")
    NOT_OUR_FAULT = "not_our_fault", _("Not the provider's fault")
    NOTIFIED_SUSPENSION = "notified_suspension", _("Suspension notified under General Terms art. 24 ¶2")


class OutageState(models.TextChoices):
    """An outage from the monitoring is a draft until staff confirm it; only a confirmed outage earns credits.
    An outage staff record by hand, once it has ended, is confirmed as they save it."""

    DRAFT = "draft", _("Draft: to confirm")
    CONFIRMED = "confirmed", _("Confirmed")


class OutageOrigin(models.TextChoices):
    STAFF = "staff", _("Recorded by staff")
    MONITORING = "monitoring", _("From the monitoring's alerts")


class Outage(models.Model):
    """An outage (利用不能時間). Staff record one once it has ended; the monitoring's alerts open one as a draft
    (``detected_*``: the alerts' times, which ``started_at``/``ended_at`` follow until staff adjust them with
    a reason). ``ended_at`` is empty while the outage goes on."""

    started_at = MomentField(_("started at"))
    ended_at = MomentField(_("ended at"), null=True, blank=True, help_text=_("Empty: the outage goes on."))
    state = models.CharField(_("state"), max_length=10, choices=OutageState.choices, default=OutageState.CONFIRMED)
    origin = models.CharField(
        _("recorded from"), max_length=10, choices=OutageOrigin.choices, default=OutageOrigin.STAFF
    )
    detected_started_at = models.DateTimeField(_("start by the alerts"), null=True, blank=True)
    detected_ended_at = models.DateTimeField(_("end by the alerts"), null=True, blank=True)
    adjustment_reason = models.TextField(_("why the times differ from the alerts'"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    cause = models.TextField(_("cause"))
    excluded = models.BooleanField(
        _("excluded"), default=False, help_text=_("No credit for this outage (the terms' exclusions).")
    )
    exclusion_reason = models.CharField(
        _("exclusion reason"), max_length=20, choices=ExclusionReason.choices, blank=True
    )
    exclusion_note = models.TextField(_("why it is excluded"), blank=True)
    contracts = models.ManyToManyField(
        "contracts.Contract", through="AffectedContract", related_name="outages", verbose_name=_("affected contracts")
    )

    history = HistoricalRecords()

    STATE_FIELD = "state"
    #: Staff confirm a draft once; what they confirm (times, exclusion) is then fixed like any outage's.
    TRANSITIONS = {OutageState.DRAFT: {OutageState.CONFIRMED}, OutageState.CONFIRMED: set()}

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-started_at", "-id"]
        permissions = [("confirm_outage", _("Can confirm, adjust or exclude an outage from the alerts"))]
        indexes = [models.Index(fields=["state", "ended_at"], name="sla_outage_open_drafts")]
        constraints = [
            Check(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                field="ended_at",
                violation_error_message=_("An outage ends after it starts."),
            ),
            Check(
                condition=Q(state__in=OutageState.values) & Q(origin__in=OutageOrigin.values),
                name="%(app_label)s_%(class)s_state_valid",
                field="state",
                violation_error_message=_("Not a state of an outage."),
            ),
            Check(
                condition=Q(state=OutageState.DRAFT) | Q(ended_at__isnull=False),
                name="%(app_label)s_%(class)s_confirmed_has_ended",
                field="ended_at",
                violation_error_message=_("An outage is confirmed once it has ended."),
            ),
            Check(
                condition=Q(origin=OutageOrigin.MONITORING) | Q(state=OutageState.CONFIRMED, ended_at__isnull=False),
                name="%(app_label)s_%(class)s_staff_records_ended",
                field="ended_at",
                violation_error_message=_("An outage recorded by staff is recorded once it has ended."),
            ),
            Check(
                condition=~Q(cause=""),
                name="%(app_label)s_%(class)s_has_cause",
                field="cause",
                violation_error_message=_("Record the cause of the outage."),
            ),
            Check(
                condition=Q(exclusion_reason__in=[*ExclusionReason.values, ""]),
                name="%(app_label)s_%(class)s_exclusion_reason_valid",
                field="exclusion_reason",
                violation_error_message=_("Not a reason the terms exclude an outage for."),
            ),
            Check(
                condition=Q(excluded=False, exclusion_reason="") | (Q(excluded=True) & ~Q(exclusion_reason="")),
                name="%(app_label)s_%(class)s_excluded_has_reason",
                field="exclusion_reason",
                violation_error_message=_(
                    "An excluded outage, and only one, has an exclusion reason (CXM2 art. 8 ¶2 and annex 1; "
                    "Smart HUB art. 5 ¶2 and annex 1)."
                ),
            ),
            Check(
                condition=Q(excluded=False) | ~Q(exclusion_note=""),
                name="%(app_label)s_%(class)s_excluded_has_note",
                field="exclusion_note",
                violation_error_message=_("Say why the outage is excluded."),
            ),
        ]

    def __str__(self):
        return f"{date_text(self.started_at)} {self.cause[:30]}"

    @property
    def duration(self):
        """How long it lasted; None while it goes on."""
        return self.ended_at - self.started_at if self.ended_at else None

    @property
    def earns_credits(self) -> bool:
        """Credits are computed from confirmed outages only (a draft from the alerts waits for staff)."""
        return self.state == OutageState.CONFIRMED and self.ended_at is not None

    @property
    def started_on(self):
        return local_day(self.started_at)

    @property
    def ended_on(self):
        """The day the outage ended in Japan: from it, a claim for its availability credit is possible."""
        return local_day(self.ended_at) if self.ended_at else None

    def clean(self):
        """To the second; an excluded outage names its reason; credits granted on it fix what they were
        computed from."""
        self.started_at, self.ended_at = to_the_second(self.started_at), to_the_second(self.ended_at)
        if self.origin == OutageOrigin.STAFF and self.ended_at is None:
            raise ValidationError({"ended_at": _("An outage recorded by staff is recorded once it has ended.")})
        if self.excluded and not self.exclusion_note.strip():
            raise ValidationError({"exclusion_note": _("Say why the outage is excluded.")})
        if self.pk and self.granted_credits_changed():
            raise ValidationError(
                _("Credits were granted on this outage: its times and exclusion no longer change (%(articles)s).")
                % {"articles": EXCLUSION_ARTICLES}
            )

    def granted_credits_changed(self) -> bool:
        """Whether a credit was granted on this outage and the fields it was computed from differ from the saved row."""
        if not Credit.objects.filter(claim__affected__outage_id=self.pk).exists():
            return False
        saved = Outage.objects.filter(pk=self.pk).values("started_at", "ended_at", "excluded").first()
        return saved != {"started_at": self.started_at, "ended_at": self.ended_at, "excluded": self.excluded}


#: What excludes one contract's credit, not the whole outage's: the customer's own breach, a suspension
#: notified to that customer (General Terms art. 24 ¶2).
CONTRACT_EXCLUSIONS = (ExclusionReason.CUSTOMER_BREACH, ExclusionReason.NOTIFIED_SUSPENSION)


class AffectedContract(models.Model):
    """A contract an outage hit, with the credits computed for it (before the monthly cap).

    An exclusion of the customer's own (its breach, a suspension notified to it) is recorded here: it
    removes this contract's credits only, while the outage's exclusion removes every contract's.
    """

    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="affected", verbose_name=_("outage"))
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="sla_affected", verbose_name=_("contract")
    )
    monthly_fee = models.PositiveBigIntegerField(
        _("base monthly fee (yen)"), default=0, validators=YEN.validators, help_text=_("Frozen on the contract.")
    )
    availability_credit = models.PositiveBigIntegerField(
        _("availability credit (yen)"), default=0, validators=YEN.validators
    )
    notification_credit = models.PositiveBigIntegerField(
        _("notification credit (yen)"), default=0, validators=YEN.validators
    )
    availability_deadline = DateField(_("claim deadline (availability)"), null=True, blank=True)
    notification_deadline = DateField(_("claim deadline (notification)"), null=True, blank=True)
    excluded = models.BooleanField(
        _("excluded for this contract"),
        default=False,
        help_text=_("No credit for this contract: the customer's breach or a suspension notified to it."),
    )
    exclusion_reason = models.CharField(
        _("exclusion reason"),
        max_length=20,
        choices=[(reason.value, reason.label) for reason in CONTRACT_EXCLUSIONS],
        blank=True,
    )
    exclusion_note = models.TextField(_("why it is excluded"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affected contract")
        verbose_name_plural = _("affected contracts")
        ordering = ["-outage__started_at", "contract__number"]
        constraints = [
            models.UniqueConstraint(fields=["outage", "contract"], name="%(app_label)s_%(class)s_once_per_outage"),
            Check(
                condition=Q(excluded=False, exclusion_reason="")
                | Q(excluded=True, exclusion_reason__in=[reason.value for reason in CONTRACT_EXCLUSIONS]),
                name="%(app_label)s_%(class)s_excluded_has_reason",
                field="exclusion_reason",
                violation_error_message=_(
                    "A contract excluded on its own has the customer's breach or a suspension notified to it as "
                    "its reason, and only then (CXM2 art. 8 ¶2 and annex 1; Smart HUB art. 5 ¶2 and annex 1)."
                ),
            ),
            Check(
                condition=Q(excluded=False) | ~Q(exclusion_note=""),
                name="%(app_label)s_%(class)s_excluded_has_note",
                field="exclusion_note",
                violation_error_message=_("Say why the outage is excluded."),
            ),
            YEN.constraint("monthly_fee"),
            YEN.constraint("availability_credit"),
            YEN.constraint("notification_credit"),
        ]

    def __str__(self):
        return f"{self.contract.number} / {self.outage}"

    @property
    def credit_before_cap(self) -> int:
        return self.availability_credit + self.notification_credit

    @property
    def claim_deadline(self):
        """The last day a claim is still granted something: the later of the two credits' deadlines."""
        return max(filter(None, (self.availability_deadline, self.notification_deadline)), default=None)

    def credit_text(self) -> str:
        return f"{yen(self.availability_credit)} + {yen(self.notification_credit)}"

    def clean(self):
        """An excluded contract says why; a credit granted on it fixes its exclusion."""
        if self.excluded and not self.exclusion_note.strip():
            raise ValidationError({"exclusion_note": _("Say why the outage is excluded.")})
        if not self.pk:
            return
        saved = AffectedContract.objects.filter(pk=self.pk).values_list("excluded", flat=True).first()
        if saved != self.excluded and Credit.objects.filter(claim__affected_id=self.pk).exists():
            raise ValidationError(
                _("A credit was granted for this contract: its exclusion no longer changes (%(articles)s).")
                % {"articles": EXCLUSION_ARTICLES}
            )


class FailureNotification(models.Model):
    """A failure notification (障害通知) of an outage to a customer's failure contact (障害時連絡先).

    For one contract, or for every contract of the customer the outage hit when ``contract`` is empty.
    ``notified_at`` empty: never notified.
    """

    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("outage"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="sla_notifications", verbose_name=_("customer")
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sla_notifications",
        verbose_name=_("contract"),
        help_text=_("Empty: the notification covers every contract of the customer the outage hit."),
    )
    detected_at = MomentField(_("detected at"))
    notified_at = MomentField(_("notified at"), null=True, blank=True, help_text=_("Empty: never notified."))
    contact_name = models.CharField(_("failure contact"), max_length=100, blank=True)
    contact_phone = PhoneField(_("failure contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("failure contact e-mail"), blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notified by"),
    )
    message = models.ForeignKey(
        "outbox.Message",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("failure notice e-mail"),
        help_text=_("The e-mail the system sent; its sending time is the notification's."),
    )
    resolution = models.ForeignKey(
        "outbox.Message",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolution e-mail"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("failure notification")
        verbose_name_plural = _("failure notifications")
        ordering = ["-detected_at", "-id"]
        constraints = [
            Check(
                condition=Q(notified_at__gte=F("detected_at")),
                name="%(app_label)s_%(class)s_notified_after_detection",
                field="notified_at",
                violation_error_message=_("A failure is notified after it is detected."),
            ),
            models.UniqueConstraint(
                fields=["outage", "contract"],
                condition=Q(contract__isnull=False),
                name="%(app_label)s_%(class)s_once_per_contract",
                violation_error_message=_("This contract's notification of the outage is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["outage", "customer"],
                condition=Q(contract__isnull=True),
                name="%(app_label)s_%(class)s_once_per_customer",
                violation_error_message=_("This customer's notification of the outage is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number if self.contract_id else self.customer} / {self.outage}"

    @property
    def is_late(self) -> bool:
        """Told more than 30 minutes after detection, or never (annex 1, 2)."""
        return credits.notification_late(self.detected_at, self.notified_at)

    def clean(self):
        """To the second; the contract is the customer's; the contact is the customer's failure contact as it
        was when notified, copied unless typed."""
        self.detected_at, self.notified_at = to_the_second(self.detected_at), to_the_second(self.notified_at)
        if not self.customer_id:
            return
        if self.contract_id and self.contract.customer_id != self.customer_id:
            raise ValidationError({"contract": _("The contract is not the customer's.")})
        if not (self.contact_name or self.contact_phone or self.contact_email):
            self.contact_name = self.customer.failure_contact_name
            self.contact_phone = self.customer.failure_contact_phone
            self.contact_email = self.customer.failure_contact_email
