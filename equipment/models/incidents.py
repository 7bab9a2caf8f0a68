"""Incidents of a rented unit: a failure (Managed Router art. 8), a loss or damage (art. 9, ISP art. 7),
or a unit not returned by its deadline: deemed lost after a Managed Router contract's end (art. 9 ¶2),
otherwise an overdue return followed up with the customer (``FollowUp``) until it comes back or staff
record it lost."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text

from ..choices import Cause, IncidentKind, Resolution, ReturnGround
from ..rules import return_article
from .units import Unit


class Incident(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    reported_on = DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
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
    return_deadline = DateField(_("return deadline missed"), null=True, blank=True)
    ground = models.CharField(_("returned under"), max_length=20, choices=ReturnGround.choices, blank=True)
    follow_up_on = DateField(
        _("follow up on"),
        null=True,
        blank=True,
        help_text=_("The day a person next contacts the customer about the overdue return."),
    )
    recorded_lost_on = DateField(_("recorded lost on"), null=True, blank=True)
    recorded_lost_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded lost by"),
    )
    cause = models.CharField(_("investigation outcome"), max_length=20, choices=Cause.choices, blank=True)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)
    resolved_on = DateField(_("resolved on"), null=True, blank=True)
    replacement = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replacement unit"),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_on", "-id"]
        permissions = [
            ("investigate_incident", _("Can record the investigation and resolution of an incident")),
            ("assess_incident", _("Can assess the charge of an incident")),
        ]
        constraints = [
            Check(
                condition=Q(kind__in=IncidentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of incident."),
            ),
            Check(
                condition=Q(kind=IncidentKind.FAILURE) | Q(cause=""),
                name="%(app_label)s_%(class)s_cause_of_failures_only",
                field="cause",
                violation_error_message=_("Only a failure has an investigation outcome (Managed Router art. 8)."),
            ),
            Check(
                condition=Q(kind=IncidentKind.NOT_RETURNED, return_deadline__isnull=False)
                | (~Q(kind=IncidentKind.NOT_RETURNED) & Q(return_deadline__isnull=True)),
                name="%(app_label)s_%(class)s_deadline_of_unreturned_only",
                field="return_deadline",
                violation_error_message=_("An unreturned unit's incident names the deadline it missed, and only it."),
            ),
            Check(
                condition=Q(kind=IncidentKind.NOT_RETURNED, ground__in=ReturnGround.values)
                | (~Q(kind=IncidentKind.NOT_RETURNED) & Q(ground="")),
                name="%(app_label)s_%(class)s_ground_of_unreturned_only",
                field="ground",
                violation_error_message=_("An overdue return names the article it rests on, and only it."),
            ),
            Check(
                condition=(Q(recorded_lost_on__isnull=True, follow_up_on__isnull=True))
                | (Q(kind=IncidentKind.NOT_RETURNED) & ~Q(ground=ReturnGround.CONTRACT_ENDED)),
                name="%(app_label)s_%(class)s_followed_up_unless_deemed_lost",
                field="recorded_lost_on",
                violation_error_message=_(
                    "Only an overdue return the terms do not deem lost is followed up and recorded lost by staff "
                    "(Managed Router art. 9 ¶2)."
                ),
            ),
            models.UniqueConstraint(
                fields=["unit", "return_deadline"],
                condition=Q(kind=IncidentKind.NOT_RETURNED),
                name="equipment_incident_one_per_missed_deadline",
                violation_error_message=_("This missed return deadline already has its incident."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {date_text(self.reported_on)}"

    def get_absolute_url(self):
        return reverse("admin:equipment_incident_change", args=[self.pk])

    @property
    def holder(self):
        """Where the unit was when the incident was reported: a contract or a router rental option."""
        return self.contract or self.option

    @property
    def article(self) -> str:
        """The article an overdue return rests on (``rules.RETURN_ARTICLES``); empty for other incidents."""
        return return_article(self.ground)


class FollowUp(models.Model):
    """A person's contact with the customer about an overdue return: the customer's answer and when to
    follow up next. Rows are only added (by ``services.incidents.record_answer``); the history keeps who."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("incident")
    )
    on = DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff"),
    )
    answer = models.TextField(_("the customer's answer"))
    next_on = DateField(_("follow up next on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["incident", "on", "id"]
        constraints = [
            Check(
                condition=Q(next_on__gt=models.F("on")),
                name="%(app_label)s_%(class)s_next_after_contact",
                field="next_on",
                violation_error_message=_("The next follow-up comes after this one."),
            ),
        ]

    def __str__(self):
        return f"{self.incident} {self.on}"
