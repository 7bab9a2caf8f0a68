"""Receivables' links on the admin index: payments waiting to be matched by hand, invoices past due."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from . import selectors
from .models import Payment


def unmatched_payments() -> int:
    return Payment.objects.filter(allocated__lt=F("amount")).count()


def overdue_invoices() -> int:
    return selectors.overdue(timezone.localdate()).count()


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
)
