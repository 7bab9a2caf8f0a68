"""Contracts (契約): one row per contract of any of the five services.

Service-specific attributes are typed columns; named check constraints, derived from the one
declaration of each service's attributes (``service_attributes``), make the database refuse a row
whose attributes do not belong to its service.
"""

from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.guards import refuse_by_guards
from backoffice.ranges import YEN
from customers.models import Customer, RelatedContract

from ..choices import (
    LIVE_STATUSES,
    ApplicationType,
    Area,
    BuildingType,
    LegacyRouterType,
    Region,
    Route,
    ServiceCode,
)
from .catalog import Item, Service
from .lifecycle import Lifecycle, LifecycleHistoryManager
from .ranges import AREA_MBPS, LINE_COUNT
from .service_attributes import service_constraints

#: Attributes whose change is a change of contract (契約内容の変更), checked by the change rules.
CONTRACT_TRACKED = (
    "customer_id",
    "service_id",
    "item_id",
    "parent_id",
    "related_contract_id",
    "application_type",
    "route",
    "standby_of_id",
    "region",
    "management_unit",
    "closed_network",
    "building_type",
    "line_count",
)


def next_contract_number(customer_id: int) -> str:
    """The customer's next contract number, ``<customer number>-NN`` (D00030-01, D00030-02…): one more than the
    highest number of that form. The customer's row is locked first (``SELECT … FOR UPDATE``, held by the
    caller's transaction), so two contracts of one customer saved at once take a number each."""
    code = Customer.objects.select_for_update().values_list("code", flat=True).get(pk=customer_id)
    prefix = f"{code}-"
    taken = Contract.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(tail) for n in taken if (tail := n.removeprefix(prefix)).isdigit()), default=0)
    return f"{prefix}{last + 1:02d}"


#: The price snapshot of a contract (``Lifecycle.FROZEN_TERMS`` and its own components).
FROZEN_TERMS = (*Lifecycle.FROZEN_TERMS, "line_fee", "bandwidth_fee")


class ContractQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def of_service(self, code: str):
        return self.filter(service_id=code)


class Contract(Lifecycle):
    number = models.CharField(
        _("contract number"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("Leave empty for the customer's next number (customer number-01, -02…)."),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("customer")
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("service"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("item"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent contract"),
        help_text=_("Cloud Proxy child contracts only."),
    )
    related_contract = models.ForeignKey(
        RelatedContract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("related contract"),
        help_text=_(
            "Smart HUB: its Private Backbone contract. Managed Router: its connectivity or data center contract."
        ),
    )
    # CXM2 (arts. 2, 3, 5)
    application_type = models.CharField(
        _("application type"), max_length=10, choices=ApplicationType.choices, null=True, blank=True
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices, null=True, blank=True)
    standby_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standbys",
        verbose_name=_("active partner"),
        help_text=_("CXM2 Standby only: the Active contract it backs up."),
    )
    # CXM2 location, Cloud Proxy bypass region
    region = models.CharField(_("location / region"), max_length=10, choices=Region.choices, null=True, blank=True)
    # Cloud Proxy parent
    management_unit = models.CharField(_("management unit"), max_length=100, null=True, blank=True)
    # Smart HUB (art. 3): one per closed network
    closed_network = models.CharField(_("closed network id"), max_length=40, null=True, blank=True)
    # Managed Router legacy (附則 2005-05-01)
    legacy_type = models.CharField(
        _("legacy contract type"), max_length=20, choices=LegacyRouterType.choices, null=True, blank=True
    )
    # ISP Platform (arts. 1, 4, 5)
    building_type = models.CharField(
        _("building type"), max_length=10, choices=BuildingType.choices, null=True, blank=True
    )
    line_count = models.PositiveIntegerField(_("line count"), null=True, blank=True, validators=LINE_COUNT.validators)
    bandwidth_consent_on = DateField(
        _("bandwidth-control consent received"), null=True, blank=True, help_text=_("IPoE shared bandwidth only.")
    )
    end_user_consent_on = DateField(
        _("end-user consent confirmed"), null=True, blank=True, help_text=_("IPoE shared bandwidth only.")
    )
    third_party_duties_on = DateField(
        _("duties passed on to third parties acknowledged"),
        null=True,
        blank=True,
        help_text=_(
            "IPoE shared bandwidth offered to third parties: the customer binds them to the bandwidth-control "
            "duties (ISP Platform art. 5 ¶6 (3))."
        ),
    )

    # ISP Platform monthly fee components frozen at acceptance (annex 1 §2)
    line_fee = models.PositiveBigIntegerField(
        _("line maintenance fee per line (yen)"), null=True, blank=True, validators=YEN.validators
    )
    bandwidth_fee = models.PositiveBigIntegerField(
        _("bandwidth fee per 100 Mbps (yen)"), null=True, blank=True, validators=YEN.validators
    )

    FROZEN_TERMS = FROZEN_TERMS

    history = HistoricalRecords(history_manager=LifecycleHistoryManager)
    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-applied_on", "-id"]
        permissions = Lifecycle.lifecycle_permissions("contract", "a contract")
        indexes = [
            models.Index(fields=["service", "status"]),
            models.Index(fields=["customer", "status"]),
            # The lists' order: a page of the newest is read from the index, not sorted from the whole table.
            models.Index(fields=["-applied_on", "-id"], name="contract_newest_first"),
        ]
        constraints = [
            *Lifecycle.lifecycle_constraints("contracts_contract", FROZEN_TERMS),
            *service_constraints(),
            LINE_COUNT.constraint("line_count"),
            Check(
                condition=Q(standby_of__isnull=True) | Q(application_type=ApplicationType.STANDBY),
                name="contracts_contract_partner_only_standby",
                field="standby_of",
                violation_error_message=_("Only a Standby contract names an Active partner (CXM2 art. 5)."),
            ),
            models.UniqueConstraint(
                fields=["closed_network"],
                condition=Q(service=ServiceCode.SMART_HUB, status__in=["applied", *LIVE_STATUSES]),
                name="contracts_contract_one_smart_hub_per_closed_network",
                violation_error_message=_("A closed network can have only one Smart HUB contract (Smart HUB art. 3)."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.item}"

    def get_absolute_url(self):
        return reverse("admin:contracts_contract_change", args=[self.pk])

    def catalog_entry(self):
        return self.item

    def save(self, *args, **kwargs):
        if self.item_id and not self.service_id:
            self.service_id = self.item.service_id
        if self.number:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.number = next_contract_number(self.customer_id)
            super().save(*args, **kwargs)

    def clean(self):
        """What follows from the entered fields is filled in; then the rules check it (``contracts.rules``)."""
        self._fill_in()
        refuse_by_guards(self)

    def _fill_in(self) -> None:
        """Fill in what follows from the entered fields, before the rules (which only read) check them."""
        if self.item_id and not self.service_id:
            self.service_id = self.item.service_id
        # A Smart HUB serves the closed network of its Private Backbone contract (Smart HUB art. 3).
        if self.service_id == ServiceCode.SMART_HUB and not self.closed_network and self.related_contract_id:
            self.closed_network = self.related_contract.closed_network
        # A Standby changed to Active (CXM2 art. 6) backs up nothing any more (art. 5): one change, not two.
        if self.application_type == ApplicationType.ACTIVE and self.standby_of_id and self.pk:
            saved = type(self)._base_manager.filter(pk=self.pk).values_list("application_type", flat=True).first()
            if saved == ApplicationType.STANDBY:
                self.standby_of = None


class BandwidthArea(models.Model):
    """ISP Platform bandwidth-limited: the limit per area, in units of 100 Mbps (art. 1)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="bandwidth_areas", verbose_name=_("contract")
    )
    area = models.CharField(_("area"), max_length=10, choices=Area.choices)
    mbps = models.PositiveIntegerField(_("upper limit (Mbps)"), validators=AREA_MBPS.validators)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bandwidth per area")
        verbose_name_plural = _("bandwidth per area")
        constraints = [
            models.UniqueConstraint(fields=["contract", "area"], name="contracts_bandwidtharea_one_per_area"),
            AREA_MBPS.constraint("mbps"),
            Check(
                condition=Exact(Mod("mbps", 100), 0),
                name="contracts_bandwidtharea_units_of_100_mbps",
                field="mbps",
                violation_error_message=_("The upper limit is set in units of 100 Mbps (ISP Platform art. 1)."),
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()} {self.mbps} Mbps"

    def clean(self):
        refuse_by_guards(self)
