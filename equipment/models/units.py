"""Rented units (ルータ等), their models, every move they made and the reminders sent about them."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text
from backoffice.ranges import YEN

from ..choices import AWAITED_STATES, HELD_STATES, ReminderKind, ReturnCondition, ReturnGround, UnitState
from ..rules import check_holder, return_article


class UnitModel(models.Model):
    """A router model and what ships with each unit of it (power unit, cables, labels; Managed Router art. 3)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    maker = models.CharField(_("maker"), max_length=80)
    name = models.CharField(_("model name"), max_length=80)
    accessories = models.CharField(
        _("shipped with it"), max_length=200, blank=True, help_text=_("e.g. power unit, LAN cables, labels")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit model")
        verbose_name_plural = _("unit models")
        ordering = ["maker", "name"]

    def __str__(self):
        return f"{self.maker} {self.name}"


class Unit(models.Model):
    """One rented unit: where it is (its state and holder) and when it must come back."""

    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    unit_model = models.ForeignKey(UnitModel, on_delete=models.PROTECT, related_name="units", verbose_name=_("model"))
    acquired_on = DateField(_("acquired on"))
    acquisition_cost = models.PositiveBigIntegerField(_("acquisition cost (yen)"), validators=YEN.validators)
    status = models.CharField(_("state"), max_length=20, choices=UnitState.choices, default=UnitState.IN_STOCK)
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rented_units",
        verbose_name=_("managed router contract"),
    )
    option = models.ForeignKey(
        "contracts.ContractOption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rented_units",
        verbose_name=_("router rental option"),
    )
    return_deadline = DateField(_("return deadline"), null=True, blank=True)
    return_ground = models.CharField(
        _("returned under"),
        max_length=20,
        choices=ReturnGround.choices,
        blank=True,
        help_text=_("What the return deadline rests on, and so what a missed deadline leads to."),
    )
    found = models.BooleanField(
        _("found"), default=False, help_text=_("A lost unit found later; its charge stays (Managed Router art. 9).")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("equipment units")
        ordering = ["serial"]
        permissions = [("move_unit", _("Can move units through their lifecycle"))]
        constraints = [
            Check(
                condition=Q(status__in=UnitState.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a state of a unit."),
            ),
            Check(
                condition=Q(contract__isnull=True) | Q(option__isnull=True),
                name="%(app_label)s_%(class)s_one_holder",
                field="option",
                violation_error_message=_("A unit is lent to one contract or one router rental option, not both."),
            ),
            Check(
                condition=(Q(status__in=HELD_STATES) & (Q(contract__isnull=False) | Q(option__isnull=False)))
                | (~Q(status__in=HELD_STATES) & Q(contract__isnull=True) & Q(option__isnull=True)),
                name="%(app_label)s_%(class)s_holder_matches_state",
                field="status",
                violation_error_message=_("A unit out of stock has a holder, and a unit in our hands has none."),
            ),
            Check(
                condition=(Q(status__in=AWAITED_STATES) & Q(return_deadline__isnull=False))
                | (~Q(status__in=AWAITED_STATES) & Q(return_deadline__isnull=True)),
                name="%(app_label)s_%(class)s_deadline_while_awaited",
                field="return_deadline",
                violation_error_message=_("A return deadline runs while a unit's return is awaited, and only then."),
            ),
            Check(
                condition=(Q(status__in=AWAITED_STATES) & Q(return_ground__in=ReturnGround.values))
                | (~Q(status__in=AWAITED_STATES) & Q(return_ground="")),
                name="%(app_label)s_%(class)s_ground_while_awaited",
                field="return_ground",
                violation_error_message=_("An awaited return names what it rests on, and only it."),
            ),
            YEN.constraint("acquisition_cost"),
        ]

    def __str__(self):
        return self.serial

    def get_absolute_url(self):
        return reverse("admin:equipment_unit_change", args=[self.pk])

    @property
    def holder(self):
        return self.contract or self.option

    @property
    def return_article(self) -> str:
        """The article the awaited return rests on (``rules.RETURN_ARTICLES``)."""
        return return_article(self.return_ground)

    @property
    def customer(self):
        holder = self.holder
        if holder is None:
            return None
        return holder.customer if self.contract_id else holder.contract.customer

    def clean(self):
        """Serials are kept as NFKC (a full-width Ａ-001 typed or imported is A-001); a unit is received into stock
        once acquired, never acquired in the future; then the holder rules."""
        self.serial = unicodedata.normalize("NFKC", self.serial or "").strip()
        if self._state.adding and self.acquired_on and self.acquired_on > timezone.localdate():
            raise ValidationError(
                {
                    "acquired_on": _(
                        "A unit is received into stock once acquired: its acquisition date is not in the future."
                    )
                }
            )
        check_holder(self)


class UnitEvent(models.Model):
    """One move of a unit: when, who, from which state to which, and how it travelled."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events", verbose_name=_("unit"))
    on = DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=UnitState.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=UnitState.choices)
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("managed router contract"),
    )
    option = models.ForeignKey(
        "contracts.ContractOption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("router rental option"),
    )
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    condition = models.CharField(_("condition on return"), max_length=20, choices=ReturnCondition.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["unit", "on", "id"]

    def __str__(self):
        return f"{self.unit} {self.on} {self.get_to_status_display()}"


class ReturnReminder(models.Model):
    """A return reminder to the customer; the unique key makes it once per deadline and kind. Its e-mail is
    queued in the outbox with it, and the outbox says whether it went."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    deadline = DateField(_("return deadline"))
    queued_on = DateField(_("queued on"))
    to_email = models.EmailField(_("sent to"))
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.PROTECT, related_name="return_reminder", verbose_name=_("e-mail")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return reminder")
        verbose_name_plural = _("return reminders")
        ordering = ["-queued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "deadline", "kind"],
                name="equipment_returnreminder_once",
                violation_error_message=_("This reminder was already sent."),
            ),
            Check(
                condition=Q(kind__in=ReminderKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of reminder."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {date_text(self.queued_on)}"
