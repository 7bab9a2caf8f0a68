"""A posted month's journal (仕訳): a batch written once, its lines numbered with voucher numbers (伝票番号)
that run on from batch to batch and are never used twice. What accounting received stays as it was sent:
``save()`` and ``delete()`` refuse, the querysets refuse ``update()`` and ``delete()``, and the
triggers of migrations ``receivables.0006`` (PostgreSQL) and ``receivables.0010`` (SQLite) refuse any write
that goes around them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import month_text
from billing.models import FrozenRowsQuerySet

from ..accounts import account_names
from .ranges import SPENT_YEN

POSTED_REFUSAL = _("A posted journal never changes and is never deleted; a later month books what changed since.")

#: The triggers' refusals (``RAISE … USING CONSTRAINT = name``) and how the admin tells them (registered in
#: ``ReceivablesConfig.ready``).
DATABASE_REFUSALS = {
    "receivables_journalbatch_posted": POSTED_REFUSAL,
    "receivables_journalline_posted": POSTED_REFUSAL,
}


class PostedQuerySet(FrozenRowsQuerySet):
    refusal = POSTED_REFUSAL


class Posted(models.Model):
    """A row written once when its month is posted."""

    objects = PostedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(POSTED_REFUSAL, code="posted")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(POSTED_REFUSAL, code="posted")


class JournalBatch(Posted):
    """One month's journal as posted: once per month (a unique month), in month order."""

    month = DateField(_("month"), unique=True, help_text=_("The month's first day."))
    first_voucher = models.PositiveIntegerField(_("first voucher number"), null=True, blank=True)
    last_voucher = models.PositiveIntegerField(_("last voucher number"), null=True, blank=True)
    debit_total = models.BigIntegerField(_("debits (yen)"), default=0, validators=SPENT_YEN.validators)
    credit_total = models.BigIntegerField(_("credits (yen)"), default=0, validators=SPENT_YEN.validators)
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("posted by"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("posted journal")
        verbose_name_plural = _("posted journals")
        ordering = ["-month"]
        permissions = [("post_journalbatch", "Can post a month's journal")]
        constraints = [
            Check(
                condition=Q(month__day=1),
                name="%(app_label)s_%(class)s_month_first_day",
                field="month",
                violation_error_message=_("A journal's month is named by its first day."),
            ),
            Check(
                condition=Q(debit_total=F("credit_total")),
                name="%(app_label)s_%(class)s_balanced",
                field="debit_total",
                violation_error_message=_("A journal's debits equal its credits."),
            ),
            Check(
                condition=Q(first_voucher__isnull=True, last_voucher__isnull=True)
                | Q(first_voucher__isnull=False, last_voucher__gte=F("first_voucher")),
                name="%(app_label)s_%(class)s_voucher_range",
                field="first_voucher",
                violation_error_message=_("A journal's vouchers run from its first number to its last."),
            ),
            models.UniqueConstraint(fields=["first_voucher"], name="%(app_label)s_%(class)s_first_voucher_once"),
        ]

    def __str__(self):
        return month_text(self.month)


class JournalLine(Posted):
    """One side of an entry of a posted journal. A line without a voucher number is the opening figure the
    first batch took as already in the books (what earlier, unposted exports sent): never exported, it is
    what later changes to those months are counted from."""

    batch = models.ForeignKey(JournalBatch, on_delete=models.PROTECT, related_name="lines", verbose_name=_("journal"))
    voucher = models.PositiveIntegerField(_("voucher number (伝票番号)"), null=True, blank=True)
    line = models.PositiveSmallIntegerField(_("line"))
    kind = models.PositiveSmallIntegerField(_("kind of voucher"))
    late = models.BooleanField(_("books a change to an earlier month"), default=False)
    date = DateField(_("date"))
    side = models.CharField(_("side"), max_length=2)
    account = models.CharField(_("account"), max_length=16)
    sub = models.CharField(_("sub-account"), max_length=100, blank=True)
    tax = models.CharField(_("tax class"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("amount (yen)"), validators=SPENT_YEN.validators)
    text = models.CharField(_("description"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["batch", "line"]
        constraints = [
            SPENT_YEN.constraint("amount"),
            models.UniqueConstraint(fields=["batch", "line"], name="%(app_label)s_%(class)s_line_once"),
            Check(
                condition=Q(side__in=["借方", "貸方"]),
                name="%(app_label)s_%(class)s_side_valid",
                field="side",
                violation_error_message=_("A line is a debit (借方) or a credit (貸方)."),
            ),
        ]

    def __str__(self):
        return f"{self.voucher or '-'} {self.side} {account_names().get(self.account, self.account)} {self.amount:,}"
