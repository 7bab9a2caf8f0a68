"""Dunning notices (督促): one per invoice and step (days past due), recorded with its e-mail in the outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.dates import DateField
from billing.models import Invoice

from .mailed import Mailed
from .ranges import SPENT_YEN


class DunningNotice(Mailed):
    """A notice that an issued invoice is past due. The unique (invoice, step) makes it once ever; its e-mail
    is queued in the outbox with it (later, once the customer has a billing contact e-mail)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="dunning_notices",
                                verbose_name=_("invoice"))  # fmt: skip
    step = models.PositiveSmallIntegerField(_("days past due"))
    owed = models.BigIntegerField(_("owed when queued (yen)"), validators=SPENT_YEN.validators)
    queued_on = DateField(_("queued on"), help_text=_("The day it was due, or queued once there was an address."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dunning notice")
        verbose_name_plural = _("dunning notices")
        ordering = ["-queued_on", "-id"]
        permissions = [("send_dunningnotice", "Can run dunning")]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"],
                name="%(app_label)s_%(class)s_once_per_step",
                violation_error_message=_("This dunning notice was already sent."),
            ),
            SPENT_YEN.constraint("owed"),
        ]

    def __str__(self):
        return f"{self.invoice} +{self.step}"
