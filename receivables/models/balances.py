"""What each issued invoice still owes now, stored (``InvoiceBalance``), so that lists and the aging read the
open invoices by an index instead of summing every invoice's allocations ever made.

The allocations stay the record: a balance is only ever recomputed from them (``services.balances``),
under its row lock, by every service that books or undoes one, and by the closing that issues invoices."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.dates import DateField
from billing.models import Invoice


class InvoiceBalance(models.Model):
    invoice = models.OneToOneField(
        Invoice,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="balance_now",
        verbose_name=_("invoice"),
    )
    owed = models.BigIntegerField(
        _("still owed (yen)"), help_text=_("Its total less what settles it now; negative when overpaid.")
    )
    # The invoice's, copied (an issued invoice never changes): the aging reads the open ones by index alone.
    issued_on = DateField(_("issued on"))
    due_on = DateField(_("due on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice balance")
        verbose_name_plural = _("invoice balances")
        indexes = [
            models.Index(fields=["due_on", "issued_on"], condition=Q(owed__gt=0), name="receivables_balance_open")
        ]

    def __str__(self):
        return f"{self.invoice} {self.owed}"
