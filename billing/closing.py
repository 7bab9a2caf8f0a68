"""Closing a billing month: its invoices are numbered, dated, taxed, rendered and issued, for good.

One transaction holds the month's lock (so no run batch or correction lands meanwhile) and the
invoice counter's lock (so numbers follow each other without gaps across months and concurrent
closings). The sources hear which of their keys were invoiced once the transaction commits.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from backoffice.moves import lock, save_audited

from . import calc
from .documents import issue_document
from .models import BillingMonth, Invoice, InvoiceCounter, InvoiceLine, InvoiceTax, MonthState
from .signals import charges_invoiced

ISSUED_FIELDS = [
    "number",
    "issued_on",
    "due_on",
    "subtotal",
    "tax",
    "total",
    "issuer_name",
    "issuer_registration_number",
    "customer_name",
]


def taxes_of(lines) -> dict[int, tuple[int, int]]:
    """``{rate %: (amount before tax, consumption tax)}`` of ``lines``: tax rounded down once per rate."""
    by_rate = calc.tax_by_rate([(Decimal(line.tax_rate) / 100, line.amount) for line in lines])
    return {int(rate * 100): (int(taxable), int(tax)) for rate, (taxable, tax) in by_rate.items()}


def close_month(month: BillingMonth, *, by=None, issued_on: date | None = None) -> int:
    """Issue every invoice of ``month`` and close it. Returns the number of invoices issued."""
    issued_on = issued_on or timezone.localdate()
    reason = _("Billing month %(month)s closed") % {"month": month}
    with transaction.atomic():
        row = lock(month)
        if row.is_closed:
            raise ValidationError(_("The billing month %(month)s is already closed.") % {"month": row})
        if issued_on < row.period.last_day:
            raise ValidationError(
                _("Invoices of a month are issued after its last day (%(day)s).") % {"day": row.period.last_day}
            )
        invoices = list(Invoice.objects.filter(month=row).select_related("customer").order_by("customer__code", "pk"))
        lines = defaultdict(list)
        for line in InvoiceLine.objects.filter(month=row).order_by("occurred_on", "pk"):
            lines[line.invoice_id].append(line)
        counter = _locked_counter()
        due_on = calc.due_date(row.period.last_day)
        taxes = [_issue(invoice, lines[invoice.pk], counter, issued_on, due_on) for invoice in invoices]
        bulk_update_with_history(invoices, Invoice, ISSUED_FIELDS, default_user=by, default_change_reason=reason)
        rows = [tax for per_invoice in taxes for tax in per_invoice]
        InvoiceTax.objects.bulk_create(rows)
        InvoiceTax.history.bulk_history_create(rows, default_user=by, default_change_reason=reason)
        for invoice, per_invoice in zip(invoices, taxes, strict=True):
            issue_document(invoice, lines[invoice.pk], per_invoice)
        save_audited(counter, by=by, reason=reason)
        row.state, row.closed_at, row.closed_by = MonthState.CLOSED, timezone.now(), by
        save_audited(row, by=by, reason=reason)
        issued = {line.source_key: (invoice.number, issued_on) for invoice in invoices for line in lines[invoice.pk]}
        transaction.on_commit(lambda: charges_invoiced.send(sender=row.period, lines=issued))
    month.refresh_from_db()
    return len(invoices)


def _locked_counter() -> InvoiceCounter:
    InvoiceCounter.objects.get_or_create(name="invoice")
    return InvoiceCounter.objects.select_for_update().get(name="invoice")


def _issue(invoice: Invoice, lines, counter: InvoiceCounter, issued_on: date, due_on: date) -> list[InvoiceTax]:
    """Number and date ``invoice``, with its totals and the issuer as issued; its tax rows (not yet saved)."""
    counter.last_number += 1
    per_rate = taxes_of(lines)
    invoice.number = counter.last_number
    invoice.issued_on = issued_on
    invoice.due_on = due_on
    invoice.subtotal = sum(line.amount for line in lines)
    invoice.tax = sum(tax for _taxable, tax in per_rate.values())
    invoice.total = invoice.subtotal + invoice.tax
    invoice.issuer_name = settings.INVOICE_ISSUER_NAME
    invoice.issuer_registration_number = settings.INVOICE_REGISTRATION_NUMBER
    invoice.customer_name = invoice.customer.name
    return [
        InvoiceTax(invoice=invoice, rate=rate, taxable=taxable, tax=tax)
        for rate, (taxable, tax) in sorted(per_rate.items(), reverse=True)
    ]
