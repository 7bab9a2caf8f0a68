"""Closing a billing month: its invoices are numbered, dated, taxed and issued, for good.

One transaction holds the month's lock (so no run or correction lands meanwhile) and the invoice
counter's lock (so numbers follow each other without gaps across months and concurrent closings).
Only a complete, current month closes: it was run, every earlier month is closed, and its lines are
what the run would write now (the same plan, derived again under the lock). Once the transaction
commits, the sources hear which of their keys were invoiced (``tell_sources``), each on its own;
a month some did not hear is told again at the next run or closing.

The documents are not rendered under the lock: the transaction starts the job that renders them
(``billing.rendering``), which the workers take up once it commits, so the lock is held for the
numbering alone (seconds for thousands of invoices) and the month shows its documents as they come.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.bulk_history import insert_with_history, record_history
from backoffice.display import date_text
from backoffice.months import Month
from backoffice.moves import lock, move_locked, save_audited

from . import calc
from .figures import running_figures
from .invoiced import tell_sources, tell_sources_again
from .models import BillingMonth, Invoice, InvoiceCounter, InvoiceLine, InvoiceTax, MonthState
from .rendering import render_later
from .run import plan
from .signals import invoices_issued

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
#: What an invoice's figures are counted from (``running_figures``), per line.
FIGURE_FIELDS = ("invoice_id", "amount", "tax_rate")


def close_month(month: BillingMonth, *, by=None, issued_on: date | None = None) -> int:
    """Issue every invoice of ``month`` and close it. Returns the number of invoices issued."""
    issued_on = issued_on or timezone.localdate()
    reason = _("Billing month %(month)s closed") % {"month": month}
    tell_sources_again()
    with transaction.atomic():
        row = lock(month)
        refuse_incomplete(row, issued_on)
        invoices = list(Invoice.objects.filter(month=row).select_related("customer").order_by("customer__code", "pk"))
        # The figures need each line's amount and rate only: plain rows, not a model per line.
        lines = defaultdict(list)
        for line in InvoiceLine.objects.filter(month=row).order_by().values_list(*FIGURE_FIELDS, named=True):
            lines[line.invoice_id].append(line)
        counter = _locked_counter()
        due_on = calc.due_date(row.period.last_day)
        taxes = [_issue(invoice, lines[invoice.pk], counter, issued_on, due_on) for invoice in invoices]
        _write_issued(row, invoices, by=by, reason=reason)
        insert_with_history(InvoiceTax, [tax for per_invoice in taxes for tax in per_invoice], by=by, reason=reason)
        save_audited(counter, by=by, reason=reason)
        move_locked(row, MonthState.CLOSED, by=by, reason=reason, closed_at=timezone.now(), closed_by=by)
        invoices_issued.send(sender=BillingMonth, month=row, invoice_ids=[invoice.pk for invoice in invoices], by=by)
        render_later(row, by=by)
        transaction.on_commit(lambda: tell_sources(row))
    month.refresh_from_db()
    return len(invoices)


def _write_issued(row: BillingMonth, invoices: list[Invoice], *, by, reason: str) -> None:
    """Write what each invoice is issued with, and its history.

    One prepared UPDATE run for every invoice (``executemany``): Django's ``bulk_update`` builds a CASE
    per field and invoice, which took most of the lock's time at thousands of invoices (35 s of 55 s
    for 1,000). The guard still refuses an invoice already issued, as ``bulk_update`` did. The history
    copies the rows as written (``record_history``).
    """
    Invoice.objects.filter(month=row).refuse_frozen()
    fields = [Invoice._meta.get_field(name) for name in ISSUED_FIELDS]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Invoice._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(Invoice._meta.pk.column),
    )
    values = [
        [*(field.get_db_prep_save(getattr(invoice, field.attname), connection) for field in fields), invoice.pk]
        for invoice in invoices
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    record_history(Invoice.objects.filter(month=row), by=by, reason=reason)


def refuse_incomplete(row: BillingMonth, issued_on: date) -> None:
    """Refuse to close ``row`` (locked) unless it is complete and current, saying what to do."""
    if row.is_closed:
        raise ValidationError(_("The billing month %(month)s is already closed.") % {"month": row})
    if issued_on < row.period.last_day:
        raise ValidationError(
            _("Invoices of a month are issued after its last day (%(day)s).") % {"day": date_text(row.period.last_day)}
        )
    earlier = _first_month_not_closed_before(row)
    if earlier is not None:
        raise ValidationError(
            _("Bill and close %(earlier)s first: billing months close in order.") % {"earlier": earlier}
        )
    if row.last_run_at is None:
        raise ValidationError(_("%(month)s was never run: run the billing first, then close.") % {"month": row})
    todo = plan(row)
    if not todo.is_current:
        raise ValidationError(
            _(
                "%(month)s differs from what is owed now (%(add)d lines to add, %(change)d to change, "
                "%(remove)d to remove): run the billing again, check it, then close."
            )
            % {"month": row, "add": len(todo.add), "change": len(todo.change), "remove": len(todo.remove)}
        )


def _first_month_not_closed_before(row: BillingMonth) -> Month | None:
    """The first month between the first billing month and ``row`` that is open or was never opened."""
    months = dict(BillingMonth.objects.filter(month__lt=row.month).values_list("month", "state"))
    if not months:
        return None
    month = Month.of(min(months))
    while month < row.period:
        if months.get(month.first_day) != MonthState.CLOSED:
            return month
        month = month.shifted(1)
    return None


def _locked_counter() -> InvoiceCounter:
    InvoiceCounter.objects.get_or_create(name="invoice")
    return InvoiceCounter.objects.select_for_update().get(name="invoice")


def _issue(invoice: Invoice, lines, counter: InvoiceCounter, issued_on: date, due_on: date) -> list[InvoiceTax]:
    """Number and date ``invoice``, with its totals and the issuer as issued; its tax rows (not yet saved)."""
    counter.last_number += 1
    figures = running_figures(lines)
    invoice.number = counter.last_number
    invoice.issued_on = issued_on
    invoice.due_on = due_on
    invoice.subtotal, invoice.tax, invoice.total = figures.subtotal, figures.tax, figures.total
    invoice.issuer_name = settings.INVOICE_ISSUER_NAME
    invoice.issuer_registration_number = settings.INVOICE_REGISTRATION_NUMBER
    invoice.customer_name = invoice.customer.name
    return [
        InvoiceTax(invoice=invoice, rate=rate, taxable=taxable, tax=tax)
        for rate, (taxable, tax) in sorted(figures.taxes.items(), reverse=True)
    ]
