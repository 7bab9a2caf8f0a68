"""Dunning notices (督促): one per invoice and step (days past due), recorded before it is e-mailed."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from billing.models import Invoice

from ..choices import NoticeStatus
from .ranges import SPENT_YEN


class DunningNotice(models.Model):
    """A notice that an issued invoice is past due. The unique (invoice, step) makes it once ever; the row
    is claimed (committed) before the e-mail goes, then says whether it went and, if not, why."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="dunning_notices",
                                verbose_name=_("invoice"))  # fmt: skip
    step = models.PositiveSmallIntegerField(_("days past due"))
    owed = models.BigIntegerField(_("owed when sent (yen)"), validators=SPENT_YEN.validators)
    sent_on = DateField(_("sent on"), help_text=_("The day of the last attempt when it failed."))
    to_email = models.EmailField(_("sent to"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.SENDING)
    error = models.TextField(_("why it failed"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dunning notice")
        verbose_name_plural = _("dunning notices")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"],
                name="%(app_label)s_%(class)s_once_per_step",
                violation_error_message=_("This dunning notice was already sent."),
            ),
            Check(
                condition=Q(status__in=NoticeStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a status of a notice."),
            ),
            SPENT_YEN.constraint("owed"),
        ]

    def __str__(self):
        return f"{self.invoice} +{self.step}"
