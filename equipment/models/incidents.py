"""Incidents of a rented unit: a failure (Managed Router art. 8), a loss or damage (art. 9, ISP art. 7),
or a unit not returned by its deadline (art. 9 ¶2: charged as lost)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField

from ..choices import Cause, IncidentKind, Resolution
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
            models.UniqueConstraint(
                fields=["unit", "return_deadline"],
                condition=Q(kind=IncidentKind.NOT_RETURNED),
                name="equipment_incident_one_per_missed_deadline",
                violation_error_message=_("This missed return deadline already has its incident."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {self.reported_on}"

    def get_absolute_url(self):
        return reverse("admin:equipment_incident_change", args=[self.pk])

    @property
    def holder(self):
        """Where the unit was when the incident was reported: a contract or a router rental option."""
        return self.contract or self.option
