"""What was issued stays as issued, whichever way a write comes.

``save()`` refuses a closed month's rows (``invoices.refuse_if_closed``); the querysets below refuse
the writes that go around it (``update()``, ``delete()``). The triggers of migrations ``billing.0002``
(PostgreSQL) and ``billing.0005`` (SQLite) refuse the same writes whatever sends them, raw SQL included,
each under the name of ``DATABASE_REFUSALS``, which ``backoffice.integrity`` tells in these words (registered
in ``BillingConfig.ready``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ISSUED_REFUSAL = _(
    "Issued invoices and the rows of a closed billing month never change and are never deleted; "
    "a line is corrected by an adjustment in an open month."
)

#: The triggers' refusals (``RAISE … USING CONSTRAINT = name``) and how the admin tells them.
DATABASE_REFUSALS = {
    "billing_invoice_issued_unchanged": _("An issued invoice never changes and is never deleted."),
    "billing_month_closed_unchanged": _(
        "The billing month is closed: its invoices and lines never change; "
        "a line is corrected by an adjustment in an open month."
    ),
    "billing_invoicetax_written_once": _(
        "The tax per rate is written once, when the invoice is issued, and never changes."
    ),
    "billing_invoicedocument_written_once": _("An issued invoice's document is written once and never changed."),
    "billing_billingmonth_closed_for_good": _("A closed billing month is never reopened, changed or deleted."),
}


class FrozenRowsQuerySet(models.QuerySet):
    """A queryset whose ``update()`` and ``delete()`` refuse to touch a row matching ``frozen``."""

    #: The rows that never change again (every row by default: written once).
    frozen = Q()
    refusal = ISSUED_REFUSAL

    def refuse_frozen(self) -> None:
        """Refuse when one of these rows is frozen (one query)."""
        if self.filter(self.frozen).exists():
            raise ValidationError(self.refusal, code="issued")

    def update(self, **kwargs):
        self.refuse_frozen()
        return super().update(**kwargs)

    def delete(self):
        self.refuse_frozen()
        return super().delete()


class WrittenOnce(models.Model):
    """A row written once with its issued invoice: ``save()`` on a stored row and ``delete()`` refuse."""

    objects = FrozenRowsQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(self.written_once_refusal(), code="issued")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.written_once_refusal(), code="issued")

    def written_once_refusal(self):
        return DATABASE_REFUSALS[f"{self._meta.db_table}_written_once"]
