"""The invoice number counter: one row, locked while a month closes, so numbers follow without gaps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .ranges import LAST_NUMBER


class InvoiceCounter(models.Model):
    """The last invoice number issued. Closing locks it (``SELECT … FOR UPDATE``) and moves it on."""

    name = models.CharField(_("name"), max_length=20, unique=True, default="invoice")
    last_number = models.PositiveIntegerField(_("last number issued"), default=0, validators=LAST_NUMBER.validators)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")
        constraints = [LAST_NUMBER.constraint("last_number")]

    def __str__(self):
        return f"{self.name}: {self.last_number}"
