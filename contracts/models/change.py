"""Recorded changes of contracts and options (契約内容の変更) and abolitions (サービスの廃止)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text
from backoffice.ranges import YEN

from .catalog import Item, OptionKind, Service


class ChangeKind(models.TextChoices):
    ITEM = "item", _("Item")
    APPLICATION_TYPE = "application_type", _("Application type")
    ROUTE = "route", _("Route")
    INTERFACE = "interface", _("Interface")
    BANDWIDTH = "bandwidth", _("Bandwidth")
    SESSIONS = "sessions", _("Sessions")
    LINE_COUNT = "line_count", _("Line count")
    EQUIPMENT = "equipment", _("Equipment")
    OPTION = "option", _("Option")


#: The attribute of an ISP Platform bandwidth-area change: its counts are the contract's total Mbps.
BANDWIDTH_ATTRIBUTE = "bandwidth_mbps"


class ContractChange(models.Model):
    """One accepted change request; its one-time fee (一時費用) arises on acceptance (SPEC §1)."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="changes", verbose_name=_("contract")
    )
    option = models.ForeignKey(
        "contracts.ContractOption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("option"),
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    accepted_on = DateField(_("accepted on"))
    old_value = models.CharField(_("before"), max_length=120, blank=True)
    new_value = models.CharField(_("after"), max_length=120, blank=True)
    #: The attribute changed and, for a count (lines, routers), its old and new value as numbers: billing
    #: reads the count in force on a day, and the rental cancellation fee the routers given back, from these.
    attribute = models.CharField(_("attribute"), max_length=40, blank=True)
    old_quantity = models.PositiveIntegerField(_("count before"), null=True, blank=True)
    new_quantity = models.PositiveIntegerField(_("count after"), null=True, blank=True)
    fee = models.PositiveBigIntegerField(_("one-time fee (yen)"), default=0, validators=YEN.validators)
    restarts_min_period = models.BooleanField(_("restarts the minimum period"), default=False)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract change")
        verbose_name_plural = _("contract changes")
        ordering = ["-accepted_on", "-id"]
        constraints = [
            Check(
                condition=Q(kind__in=ChangeKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of change."),
            ),
            YEN.constraint("fee"),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.get_kind_display()} {self.old_value} → {self.new_value}"


class Abolition(models.Model):
    """The abolition of a service, an item or an option kind on a date (CXM2 art. 9, Cloud Proxy art. 11, ISP art. 8).

    Contracts ended by it carry it, so the customers to notify can always be listed again.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="abolitions", verbose_name=_("service"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("item"))
    option_kind = models.ForeignKey(
        OptionKind, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("option")
    )
    effective_on = DateField(_("abolished on"))
    reason = models.TextField(_("reason"))
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("abolition")
        verbose_name_plural = _("abolitions")
        ordering = ["-effective_on", "-id"]
        permissions = [("execute_abolition", "Can execute an abolition")]
        constraints = [
            Check(
                condition=Q(item__isnull=True) | Q(option_kind__isnull=True),
                name="%(app_label)s_%(class)s_item_or_option",
                field="option_kind",
                violation_error_message=_("An abolition is of a service, an item or an option, not of both."),
            ),
        ]

    def __str__(self):
        target = self.item or self.option_kind or self.service
        return f"{target} ({date_text(self.effective_on)})"
