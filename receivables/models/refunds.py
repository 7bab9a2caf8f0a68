"""Refunds (返金) of the credit a customer holds (前受金): each names the customer's bank account, the day of
the transfer (振込指定日), who asked and why, and the credits it spends (``RefundPart``). Written once: a
refund is never changed nor deleted; the bank's transfer file (全銀協 総合振込) is written from it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text, yen
from customers.models import Customer

from .allocations import Allocation
from .ranges import RECEIVED_YEN

DIGITS = {
    3: RegexValidator(r"^[0-9]{3}$", _("3 digits.")),
    4: RegexValidator(r"^[0-9]{4}$", _("4 digits.")),
    7: RegexValidator(r"^[0-9]{7}$", _("7 digits.")),
}
#: What a 全銀 C field holds: half-width digits, upper-case letters, half-width kana and a few signs.
ZENGIN_TEXT = RegexValidator(r"^[0-9A-Z\uff66-\uff9f ().,\-/]*$", _("Half-width kana, capitals and digits only."))


class AccountType(models.TextChoices):
    """預金種目 of a 総合振込 data record."""

    ORDINARY = "1", _("ordinary (普通)")
    CURRENT = "2", _("current (当座)")
    SAVINGS = "4", _("savings (貯蓄)")
    OTHER = "9", _("other")


class WrittenOnce(models.Model):
    """A row of money moved that is written once: never changed (``changed`` says what to do instead) nor
    deleted (``deleted``)."""

    changed = deleted = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(self.changed, code="refunded")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.deleted, code="refunded")


class RefundQuerySet(models.QuerySet):
    def live(self):
        """The refunds not cancelled: what is transferred, booked and no longer credit."""
        return self.filter(cancellation__isnull=True)


class Refund(WrittenOnce):
    """Credit paid back to the customer by bank transfer. Its amount is drawn from the customer's credits
    when it is recorded (oldest first); the journal books it (Dr 前受金 / Cr 普通預金) on ``transfer_on``.
    Never changed: one called off before its day has a ``RefundCancellation``."""

    changed = _("A refund is never changed: record another one.")
    deleted = _("A refund is never deleted.")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("customer"))
    amount = models.BigIntegerField(_("amount (yen)"), validators=RECEIVED_YEN.validators)
    transfer_on = DateField(_("transfer date (振込指定日)"))
    bank_code = models.CharField(_("bank code"), max_length=4, validators=[DIGITS[4]])
    bank_name = models.CharField(_("bank name (kana)"), max_length=15, blank=True, validators=[ZENGIN_TEXT])
    branch_code = models.CharField(_("branch code"), max_length=3, validators=[DIGITS[3]])
    branch_name = models.CharField(_("branch name (kana)"), max_length=15, blank=True, validators=[ZENGIN_TEXT])
    account_type = models.CharField(_("account type (預金種目)"), max_length=1, choices=AccountType.choices)
    account_number = models.CharField(_("account number"), max_length=7, validators=[DIGITS[7]])
    account_holder = models.CharField(_("account holder (kana)"), max_length=30, validators=[ZENGIN_TEXT])
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip

    history = HistoricalRecords()
    objects = RefundQuerySet.as_manager()

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-transfer_on", "-id"]
        permissions = [("transfer_file_refund", "Can write the bank transfer file of refunds")]
        constraints = [
            RECEIVED_YEN.constraint("amount"),
            Check(
                condition=Q(account_type__in=AccountType.values),
                name="%(app_label)s_%(class)s_account_type_valid",
                field="account_type",
                violation_error_message=_("Not a type of bank account."),
            ),
            Check(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_with_reason",
                field="reason",
                violation_error_message=_("A refund is recorded with its reason."),
            ),
        ]

    def __str__(self):
        return f"{date_text(self.transfer_on)} {yen(self.amount)} {self.customer}"


class RefundPart(models.Model):
    """What a refund spends of one credit (the credit's ``credit_used`` grows by it under its row lock)."""

    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, related_name="parts", verbose_name=_("refund"))
    credit = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="refund_parts", verbose_name=_("credit spent")
    )
    amount = models.BigIntegerField(_("amount (yen)"), validators=RECEIVED_YEN.validators)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("refund part")
        verbose_name_plural = _("refund parts")
        ordering = ["refund", "id"]
        constraints = [
            RECEIVED_YEN.constraint("amount"),
            models.UniqueConstraint(fields=["refund", "credit"], name="%(app_label)s_%(class)s_once_per_credit"),
        ]

    def __str__(self):
        return f"{self.refund} ← {self.credit_id}"


class RefundCancellation(WrittenOnce):
    """A refund called off before its transfer day (recorded in error, or the customer chose otherwise): what it
    drew goes back to the credits it drew from, and it is neither transferred nor booked. Never changed."""

    changed = _("A cancellation is never changed.")
    deleted = _("A cancellation is never deleted.")

    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, related_name="cancellation", verbose_name=_("refund")
    )
    reason = models.TextField(_("reason"))
    cancelled_at = models.DateTimeField(_("cancelled at"), auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("cancelled by"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("refund cancellation")
        verbose_name_plural = _("refund cancellations")
        constraints = [
            Check(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_with_reason",
                field="reason",
                violation_error_message=_("A refund is cancelled with its reason."),
            ),
        ]

    def __str__(self):
        return _("Cancelled: %(refund)s") % {"refund": self.refund}
