"""Money received: the bank files it came in, each payment, and the names customers pay under."""

import hashlib

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text, yen
from backoffice.names import key
from customers.models import Customer

from ..choices import FileFormat, PaymentSource, PaymentState
from .ranges import RECEIVED_YEN, SPENT_YEN


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BankFile(models.Model):
    """A file of payments as the bank sent it, kept with its checksum: a file is imported once
    (its SHA-256 is unique), and the stored bytes show what every payment was read from."""

    name = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=12, choices=FileFormat.choices)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    account = models.CharField(_("account"), max_length=40, blank=True)
    payments_count = models.PositiveIntegerField(_("payments"), default=0)
    payments_total = models.BigIntegerField(_("payments total (yen)"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("bank file")
        verbose_name_plural = _("bank files")
        ordering = ["-imported_at"]
        constraints = [
            Check(
                condition=Q(format__in=FileFormat.values),
                name="%(app_label)s_%(class)s_format_valid",
                field="format",
                violation_error_message=_("Not a format of bank file."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({date_text(self.imported_at)})" if self.imported_at else self.name

    def save(self, *args, **kwargs):
        self.sha256 = sha256(bytes(self.content))
        super().save(*args, **kwargs)

    def intact(self) -> bool:
        return sha256(bytes(self.content)) == self.sha256


class PaymentQuerySet(models.QuerySet):
    def unmatched(self):
        """Payments with money left to match, but not those the bank took back (取消, 訂正): no one's money."""
        return self.filter(allocated__lt=F("amount"), taken_back="")


class Payment(models.Model):
    """One amount received into our account, as the bank (or staff) recorded it.

    ``allocated`` is what its allocations spend (to invoices or to the customer's credit), kept by the
    matching services under the payment's row lock; the database refuses it above the amount.
    """

    source = models.CharField(_("received as"), max_length=12, choices=PaymentSource.choices)
    bank_file = models.ForeignKey(
        BankFile, on_delete=models.PROTECT, null=True, blank=True, related_name="payments", verbose_name=_("bank file")
    )
    row = models.PositiveIntegerField(_("record in the file"), null=True, blank=True)
    account = models.CharField(_("account"), max_length=40, blank=True)
    bank_reference = models.CharField(_("bank reference (照会番号)"), max_length=20, blank=True)
    received_on = DateField(_("received on (勘定日)"))
    value_on = DateField(_("value date (起算日)"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (yen)"), validators=RECEIVED_YEN.validators)
    payer_name = models.CharField(
        _("payer name"),
        max_length=96,
        validators=[ProhibitNullCharactersValidator()],
        help_text=_("As the bank wrote it (振込依頼人名), half-width kana kept."),
    )
    payer_key = models.CharField(_("payer name, normalised"), max_length=120, blank=True, db_index=True, editable=False)
    payer_code = models.CharField(_("payer code (振込依頼人コード)"), max_length=10, blank=True)
    occurrence = models.PositiveSmallIntegerField(
        _("equal record in its file"),
        default=1,
        editable=False,
        help_text=_("For a record without a bank reference: the how-manyth of its equal records in the file."),
    )
    taken_back = models.TextField(
        _("taken back by the bank"),
        blank=True,
        help_text=_("The bank's cancellation (取消) or correction (訂正) that took the money back."),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("customer"),
        help_text=_("Who paid, once the payment is matched."),
    )
    allocated = models.BigIntegerField(_("allocated (yen)"), default=0, editable=False, validators=SPENT_YEN.validators)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        permissions = [("match_payment", "Can match a payment to invoices")]
        indexes = [models.Index(fields=["received_on", "amount"], name="receivables_payment_day_amount")]
        constraints = [
            RECEIVED_YEN.constraint("amount"),
            SPENT_YEN.constraint("allocated"),
            Check(
                condition=Q(allocated__lte=F("amount")),
                name="%(app_label)s_%(class)s_allocated_within_amount",
                field="allocated",
                violation_error_message=_("A payment's allocations never exceed its amount."),
            ),
            Check(
                condition=Q(source__in=PaymentSource.values),
                name="%(app_label)s_%(class)s_source_valid",
                field="source",
                violation_error_message=_("Not a way a payment is received."),
            ),
            Check(
                condition=Q(bank_file__isnull=True, row__isnull=True, source=PaymentSource.MANUAL)
                | Q(bank_file__isnull=False, row__isnull=False) & ~Q(source=PaymentSource.MANUAL),
                name="%(app_label)s_%(class)s_file_and_row_together",
                field="bank_file",
                violation_error_message=_(
                    "A payment from a file names the file and its record; one entered by hand neither."
                ),
            ),
            models.UniqueConstraint(fields=["bank_file", "row"], name="%(app_label)s_%(class)s_one_per_record"),
            models.UniqueConstraint(
                fields=["account", "bank_reference", "received_on"],
                condition=~Q(bank_reference=""),
                name="%(app_label)s_%(class)s_bank_reference_once",
                violation_error_message=_("This bank reference was already imported for that account and day."),
            ),
            models.UniqueConstraint(
                fields=["account", "received_on", "amount", "payer_key", "occurrence"],
                condition=Q(bank_reference="") & ~Q(source=PaymentSource.MANUAL),
                name="%(app_label)s_%(class)s_unreferenced_once",
                violation_error_message=_(
                    "Equal to a record without bank reference imported before (account, day, amount, payer)."
                ),
            ),
        ]

    def __str__(self):
        return f"{date_text(self.received_on)} {yen(self.amount)} {self.payer_name}"

    def save(self, *args, **kwargs):
        self.payer_key = key(self.payer_name)
        super().save(*args, **kwargs)

    @property
    def unallocated(self) -> int:
        return self.amount - self.allocated

    @property
    def state(self) -> str:
        if self.allocated == 0:
            return PaymentState.UNMATCHED
        return PaymentState.MATCHED if self.allocated >= self.amount else PaymentState.PARTLY_MATCHED


class TransferName(models.Model):
    """A name a customer pays under (振込名義), as the bank writes it: several per customer, registered by
    staff or learned when they match a payment by hand. Matching compares normalised ``key``s."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="transfer_names", verbose_name=_("customer")
    )
    name = models.CharField(_("transfer name"), max_length=96)
    key = models.CharField(_("normalised"), max_length=120, blank=True, db_index=True, editable=False)
    learned_from = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learned from payment"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer name")
        verbose_name_plural = _("transfer names")
        ordering = ["customer", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "key"],
                name="%(app_label)s_%(class)s_once_per_customer",
                violation_error_message=_("The customer already has this transfer name."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = key(self.name)
        super().save(*args, **kwargs)
