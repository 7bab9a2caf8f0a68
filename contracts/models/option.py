"""Options (オプション) of a contract, each with its own lifecycle (SPEC §1 Options)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.guards import refuse_by_guards
from backoffice.ranges import UNITS, YEN

from ..choices import LIVE_STATUSES, CloudType, Interface, Ipv4PortType, PortLine, ServiceCode
from .catalog import OptionKind
from .contract import Contract
from .lifecycle import Lifecycle, LifecycleHistoryManager
from .ranges import BANDWIDTH_GBPS, SESSIONS

#: The typed attributes an option may carry, by its contract's service (Smart HUB art. 4 ¶2, ISP Platform
#: art. 7); which kind takes which is a rule of the service.
SERVICE_OPTION_ATTRIBUTES = {
    ServiceCode.SMART_HUB: ("port_line", "cloud_type", "interface", "sessions", "bandwidth_gbps"),
    ServiceCode.ISP_PLATFORM: ("ipv4_port_type", "units"),
}
OPTION_ATTRIBUTES = tuple(name for names in SERVICE_OPTION_ATTRIBUTES.values() for name in names)
#: Attributes whose change is a change of the option, checked by the change rules.
OPTION_TRACKED = ("contract_id", "kind_id", *OPTION_ATTRIBUTES)


#: The price snapshot of a option (``Lifecycle.FROZEN_TERMS`` and its own components).
FROZEN_TERMS = (*Lifecycle.FROZEN_TERMS, "cancellation_fee")


class ContractOptionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


class ContractOption(Lifecycle):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="options", verbose_name=_("contract"))
    kind = models.ForeignKey(OptionKind, on_delete=models.PROTECT, related_name="options", verbose_name=_("option"))
    # Smart HUB ports (art. 4 ¶2)
    port_line = models.CharField(_("line"), max_length=12, choices=PortLine.choices, null=True, blank=True)
    cloud_type = models.CharField(_("connected cloud"), max_length=10, choices=CloudType.choices, null=True, blank=True)
    interface = models.CharField(_("interface"), max_length=4, choices=Interface.choices, null=True, blank=True)
    # Smart HUB NAPT / firewall sessions, bandwidth expansion
    sessions = models.PositiveIntegerField(_("sessions"), null=True, blank=True, validators=SESSIONS.validators)
    bandwidth_gbps = models.PositiveSmallIntegerField(
        _("bandwidth (Gbps)"), null=True, blank=True, validators=BANDWIDTH_GBPS.validators
    )
    # ISP Platform
    ipv4_port_type = models.CharField(
        _("IPv4 port type"), max_length=5, choices=Ipv4PortType.choices, null=True, blank=True
    )
    units = models.PositiveSmallIntegerField(
        _("units"), default=1, validators=UNITS.validators, help_text=_("Router rental: number of routers lent.")
    )
    applied_with_parent = models.BooleanField(
        _("applied together with the contract"),
        default=False,
        help_text=_("Cloud Proxy initial setup must be applied for together with its bypass child (art. 10)."),
    )

    # ISP Platform router rental: cancellation fee per unit frozen at acceptance (annex 1 3.(3))
    cancellation_fee = models.PositiveBigIntegerField(
        _("cancellation fee per unit (yen)"), null=True, blank=True, validators=YEN.validators
    )

    FROZEN_TERMS = FROZEN_TERMS

    history = HistoricalRecords(history_manager=LifecycleHistoryManager)
    objects = ContractOptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["contract", "kind__rank", "id"]
        permissions = Lifecycle.lifecycle_permissions("contractoption", "an option")
        # The option list's order (``ContractOptionAdmin.ordering``), read from the index at any size.
        indexes = [models.Index(fields=["-applied_on", "-id"], name="option_newest_first")]
        constraints = [
            *Lifecycle.lifecycle_constraints("contracts_contractoption", FROZEN_TERMS),
            SESSIONS.constraint("sessions"),
            BANDWIDTH_GBPS.constraint("bandwidth_gbps"),
            UNITS.constraint("units"),
        ]

    def __str__(self):
        return f"{self.contract.number} / {self.kind}"

    def get_absolute_url(self):
        return reverse("admin:contracts_contractoption_change", args=[self.pk])

    def catalog_entry(self):
        return self.kind

    def clean(self):
        refuse_by_guards(self)
