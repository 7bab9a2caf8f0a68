"""The monthly run: every registered source's charges written as one invoice per customer, a line per charge.

Safe to repeat and to interrupt. The charges are written in batches, each its own transaction that
first locks the month's row: two runs at once take turns batch by batch, and closing (which takes the
same lock) never meets a half-written batch. Inside a batch, keys already written are left out and
the inserts ignore conflicts (the unique constraints on key and month, on customer and month), so a
second run, or a rerun after a crash, adds exactly what is missing. History is written for the rows
the batch created, with the user who ran it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.moves import save_audited

from . import calc
from .contract_charges import RECURRING
from .models import BillingMonth, Invoice, InvoiceLine
from .sources import Charge, registered

BATCH_SIZE = 1000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunResult:
    charges: int
    invoices_created: int
    lines_created: int


def billing_month(year: int, month: int, *, by=None) -> BillingMonth:
    """The month's row, created open on first use (with its history)."""
    try:
        return BillingMonth.objects.get(month__year=year, month__month=month)
    except BillingMonth.DoesNotExist:
        row = BillingMonth(month=date(year, month, 1))
        try:
            with transaction.atomic():
                save_audited(row, by=by, reason=_("Billing month opened"))
        except (IntegrityError, ValidationError):  # opened by a concurrent run meanwhile
            return BillingMonth.objects.get(month__year=year, month__month=month)
        return row


def tax_percent(day) -> int:
    """The consumption tax rate on ``day`` in whole percent, as lines and invoices store it."""
    return int(Decimal(str(calc.tax_rate_on(day))) * 100)


def charges_of(month: BillingMonth) -> list[Charge]:
    """Every registered source's charges for the month, each key once (Japanese descriptions: the invoice's)."""
    seen, charges = set(), []
    with translation.override("ja"):
        for source in registered().values():
            for charge in source(month.period):
                if charge.source_key not in seen:
                    seen.add(charge.source_key)
                    charges.append(charge)
    return charges


def not_yet_invoiced(month: BillingMonth, charges: list[Charge]) -> list[Charge]:
    """``charges`` without the keys already on this month's invoices, nor (once-only charges) on another month's."""
    keys = [charge.source_key for charge in charges]
    taken = {
        key
        for key, month_id, kind in InvoiceLine.objects.filter(source_key__in=keys)
        .order_by()
        .values_list("source_key", "month_id", "kind")
        if month_id == month.pk or kind != RECURRING
    }
    return [charge for charge in charges if charge.source_key not in taken]


def run_month(month: BillingMonth, *, by=None, batch_size: int = BATCH_SIZE, progress: Progress | None = None):
    """Bill ``month``: write what the sources owe and is not yet invoiced. Returns the counts created."""
    if month.is_closed:
        raise ValidationError(_("The billing month %(month)s is closed: it is not run again.") % {"month": month})
    charges = sorted(charges_of(month), key=lambda charge: (charge.customer_id, charge.source_key))
    batches = list(batched(charges, batch_size))
    invoices = lines = 0
    for done, batch in enumerate(batches, start=1):
        created = write_batch(month, batch, by=by)
        invoices, lines = invoices + created[0], lines + created[1]
        if progress:
            progress(done, len(batches))
    with transaction.atomic():
        row = BillingMonth.objects.select_for_update().get(pk=month.pk)
        row.last_run_at, row.last_run_by = timezone.now(), by
        save_audited(row, by=by, reason=_("Billing run: %(lines)d lines added") % {"lines": lines})
    month.refresh_from_db()
    return RunResult(charges=len(charges), invoices_created=invoices, lines_created=lines)


def write_batch(month: BillingMonth, charges: Iterable[Charge], *, by=None) -> tuple[int, int]:
    """Write one batch in one transaction under the month's lock: (invoices created, lines created)."""
    reason = _("Billing run of %(month)s") % {"month": month}
    with transaction.atomic():
        locked = BillingMonth.objects.select_for_update().get(pk=month.pk)
        if locked.is_closed:
            raise ValidationError(_("The billing month %(month)s is closed: it is not run again.") % {"month": month})
        fresh = not_yet_invoiced(locked, list(charges))
        if not fresh:
            return 0, 0
        invoice_of, new_invoices = _invoices_for(locked, {charge.customer_id for charge in fresh}, by, reason)
        lines = [_line(locked, invoice_of[charge.customer_id], charge, by) for charge in fresh]
        InvoiceLine.objects.bulk_create(lines, ignore_conflicts=True)
        written = list(InvoiceLine.objects.filter(month=locked, source_key__in=[line.source_key for line in lines]))
        InvoiceLine.history.bulk_history_create(written, default_user=by, default_change_reason=reason)
        return len(new_invoices), len(written)


def _invoices_for(month: BillingMonth, customers: set[int], by, reason: str):
    """The month's invoice id of each customer, creating the missing ones; and the invoices created."""
    existing = dict(
        Invoice.objects.filter(month=month, customer_id__in=customers).order_by().values_list("customer_id", "pk")
    )
    period = month.period
    missing = [
        Invoice(customer_id=customer, month=month, period_start=period.first_day, period_end=period.last_day)
        for customer in sorted(customers - existing.keys())
    ]
    Invoice.objects.bulk_create(missing, ignore_conflicts=True)
    created = list(Invoice.objects.filter(month=month, customer_id__in=[invoice.customer_id for invoice in missing]))
    Invoice.history.bulk_history_create(created, default_user=by, default_change_reason=reason)
    return existing | {invoice.customer_id: invoice.pk for invoice in created}, created


def _line(month: BillingMonth, invoice_id: int, charge: Charge, by) -> InvoiceLine:
    return InvoiceLine(
        invoice_id=invoice_id,
        month=month,
        source_key=charge.source_key,
        kind=charge.kind,
        description=charge.description[:300],
        occurred_on=charge.occurred_on,
        contract_id=charge.contract_id,
        service_code=charge.service_code,
        quantity=charge.quantity,
        unit_price=charge.unit_price,
        amount=charge.amount,
        tax_rate=tax_percent(charge.occurred_on),
        created_by=by,
    )
