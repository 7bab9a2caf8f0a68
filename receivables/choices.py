"""The kinds of receivables' rows: how a payment came, what an allocation books, where an invoice stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    BANK_FILE = "bank_file", _("bank file (全銀協)")
    CSV = "csv", _("CSV file")


class FileFormat(models.TextChoices):
    TRANSFER_NOTICE = "zengin_01", _("振込入金通知 (全銀協)")
    STATEMENT = "zengin_03", _("入出金取引明細 (全銀協)")
    CSV = "csv", _("CSV")


class AllocationKind(models.TextChoices):
    """What an allocation books. A payment's money goes to invoices (PAYMENT) or, beyond what they owe,
    to the customer's credit (CREDIT); a credit later pays an invoice (CREDIT_APPLIED); what the payer
    kept back for the bank's charge within the tolerance settles the invoice as 振込手数料 (TRANSFER_FEE)."""

    PAYMENT = "payment", _("payment")
    TRANSFER_FEE = "transfer_fee", _("transfer fee deducted by the payer (振込手数料)")
    CREDIT = "credit", _("customer credit from an overpayment")
    CREDIT_APPLIED = "credit_applied", _("credit applied to an invoice")


#: The kinds that settle an invoice, and the kinds that spend a payment's money.
SETTLES_INVOICE = (AllocationKind.PAYMENT, AllocationKind.TRANSFER_FEE, AllocationKind.CREDIT_APPLIED)
SPENDS_PAYMENT = (AllocationKind.PAYMENT, AllocationKind.CREDIT)


class InvoiceState(models.TextChoices):
    """Where an issued invoice stands, derived from its live allocations (``selectors.with_balance``)."""

    UNPAID = "unpaid", _("unpaid")
    PARTLY_PAID = "partly_paid", _("partly paid")
    PAID = "paid", _("paid")
    OVERPAID = "overpaid", _("overpaid")


class PaymentState(models.TextChoices):
    UNMATCHED = "unmatched", _("not matched")
    PARTLY_MATCHED = "partly_matched", _("partly matched")
    MATCHED = "matched", _("matched")


class DeliveryMethod(models.TextChoices):
    EMAIL = "email", _("e-mail with the PDF")
    POST = "post", _("by post (paper)")


#: What a paper delivery reads as: it has no e-mail and waits for the month's print run.
TO_POST = _("to print and post")
