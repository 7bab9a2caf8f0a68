"""Smart HUB: what the customer disclosed of the other cloud a cloud port connects to (art. 4 ¶3 (3))."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField

#: The option kind whose other cloud is disclosed.
CLOUD_PORT = "smart_hub.cloud_port"


class CloudDisclosure(models.Model):
    """The other cloud's information the customer disclosed for a cloud port, as far as we need it, kept up
    to date when the customer tells us of a change (art. 4 ¶3 (3); the history keeps each version)."""

    option = models.ForeignKey(
        "contracts.ContractOption", on_delete=models.PROTECT, verbose_name=_("cloud connection port")
    )
    cloud_account = models.CharField(_("account or subscription"), max_length=200)
    information = models.TextField(_("information disclosed"))
    disclosed_on = DateField(_("disclosed on"))
    changed_on = DateField(
        _("change notified on"), null=True, blank=True, help_text=_("The last change the customer told us of.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cloud disclosure")
        verbose_name_plural = _("cloud disclosures")
        ordering = ["-disclosed_on", "-id"]
        constraints = [
            Check(
                condition=~Q(information="") & ~Q(cloud_account=""),
                name="%(app_label)s_%(class)s_has_information",
                field="information",
                violation_error_message=_("Record the account and the information disclosed (Smart HUB art. 4 ¶3)."),
            ),
            Check(
                condition=Q(changed_on__isnull=True) | Q(changed_on__gte=F("disclosed_on")),
                name="%(app_label)s_%(class)s_changed_after_disclosure",
                field="changed_on",
                violation_error_message=_("A change is notified on or after the disclosure."),
            ),
        ]

    def __str__(self):
        return f"{self.option.contract.number} {self.cloud_account}"

    def clean(self):
        """Disclosed for a cloud connection port (art. 4 ¶3)."""
        if self.option_id and self.option.kind_id != CLOUD_PORT:
            raise ValidationError(
                {"option": _("This is recorded on Smart HUB cloud connection ports only (Smart HUB art. 4 ¶3).")}
            )
