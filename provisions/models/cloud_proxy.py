"""Cloud Proxy: the IPv4 addresses the customer registered (art. 8: IPv4 only, and no other address may be used)."""

import ipaddress

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from contracts.choices import ItemRole, ServiceCode

from .base import ContractRecord


class RegisteredAddress(ContractRecord):
    """An IPv4 address or network the customer registered for a parent contract, from a day until withdrawn."""

    services = (ServiceCode.CLOUD_PROXY,)
    item_role = ItemRole.PARENT
    kept_on = _("Cloud Proxy parent contracts")
    article = _("Cloud Proxy art. 8")

    network = models.CharField(
        _("IPv4 address or network"), max_length=18, help_text=_("203.0.113.10 or 203.0.113.0/24 (IPv4 only, art. 8).")
    )
    registered_on = DateField(_("registered on"))
    withdrawn_on = DateField(_("withdrawn on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registered IPv4 address")
        verbose_name_plural = _("registered IPv4 addresses")
        ordering = ["contract", "network", "-registered_on"]
        constraints = [
            Check(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("registered_on")),
                name="%(app_label)s_%(class)s_withdrawn_after_registration",
                field="withdrawn_on",
                violation_error_message=_("An address is withdrawn on or after its registration."),
            ),
            models.UniqueConstraint(
                fields=["contract", "network"],
                condition=Q(withdrawn_on__isnull=True),
                name="%(app_label)s_%(class)s_once_while_registered",
                violation_error_message=_("This address is already registered for the contract."),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.network}"

    def clean(self):
        """An IPv4 address or network (art. 8 ¶1), written the one way, overlapping none still registered."""
        super().clean()
        try:
            network = ipaddress.ip_network((self.network or "").strip(), strict=True)
        except ValueError:
            raise ValidationError(
                {"network": _("Enter an IPv4 address or network, e.g. 203.0.113.0/24 (Cloud Proxy art. 8).")}
            ) from None
        if network.version != 4:
            raise ValidationError({"network": _("Only IPv4 addresses are registered (Cloud Proxy art. 8).")})
        self.network = str(network)
        if not self.contract_id or self.withdrawn_on:
            return
        current = RegisteredAddress.objects.filter(contract_id=self.contract_id, withdrawn_on__isnull=True)
        for other in current.exclude(pk=self.pk).exclude(network=self.network).values_list("network", flat=True):
            if network.overlaps(ipaddress.ip_network(other)):
                raise ValidationError(
                    {"network": _("It overlaps %(other)s, already registered for the contract.") % {"other": other}}
                )
