"""Receivables' links on the admin index: payments waiting to be matched by hand, invoices past due."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist
from outbox.choices import MessageState

from . import selectors
from .models import DunningNotice, InvoiceDelivery, Payment


def unmatched_payments() -> int:
    return Payment.objects.unmatched().count()


def failed_notices() -> int:
    return DunningNotice.objects.unsent().count()


def failed_deliveries() -> int:
    return InvoiceDelivery.objects.unsent().count()


def overdue_invoices() -> int:
    return selectors.overdue_count(timezone.localdate())


WORKLISTS = (
    Worklist(
        group=_("Receivables"),
        label=_("Payments to match"),
        url_name="admin:receivables_payment_changelist",
        permission="receivables.match_payment",
        query="matched=open",
        count=unmatched_payments,
    ),
    Worklist(
        group=_("Receivables"),
        label=_("Invoices past due"),
        url_name="admin:receivables_receivable_changelist",
        permission="receivables.view_payment",
        query="overdue=yes",
        count=overdue_invoices,
    ),
    Worklist(
        group=_("Receivables"),
        label=_("Dunning notices not sent"),
        url_name="admin:receivables_dunningnotice_changelist",
        permission="receivables.view_dunningnotice",
        query=f"state={MessageState.FAILED}",
        count=failed_notices,
    ),
    Worklist(
        group=_("Receivables"),
        label=_("Invoices not delivered"),
        url_name="admin:receivables_invoicedelivery_changelist",
        permission="receivables.view_invoicedelivery",
        query=f"state={MessageState.FAILED}",
        count=failed_deliveries,
    ),
)
