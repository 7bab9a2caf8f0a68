"""Billing's links on the admin index: the months waiting for the approver, the open month's invoices."""

from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from .models import BillingMonth, Invoice, MonthState


def open_months() -> int:
    return BillingMonth.objects.filter(state=MonthState.OPEN).count()


def open_invoices() -> int:
    return Invoice.objects.filter(month__state=MonthState.OPEN).count()


WORKLISTS = (
    Worklist(
        group=_("Billing"),
        label=_("Months to close"),
        url_name="admin:billing_billingmonth_changelist",
        permission="billing.close_billingmonth",
        query=f"state__exact={MonthState.OPEN}",
        count=open_months,
    ),
    Worklist(
        group=_("Billing"),
        label=_("Open month's invoices"),
        url_name="admin:billing_invoice_changelist",
        permission="billing.view_invoice",
        query=f"month__state__exact={MonthState.OPEN}",
        count=open_invoices,
    ),
)
