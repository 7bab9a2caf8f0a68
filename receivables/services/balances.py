"""Keeping ``InvoiceBalance`` (what each issued invoice owes now) equal to its allocations.

``refresh`` is the one writer: it locks the balances by invoice id (the order every match locks
invoices in), recomputes them from the live allocations with ``selectors.with_balance`` and writes
the ones that changed, with history. The services that book or undo an allocation call it for the
invoices they touched, in their transaction; a month's closing has its invoices' balances made by
``on_invoices_issued``, in the closing's transaction, so an issued invoice always has one."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from backoffice.bulk_history import record_history
from billing.models import Invoice

from .. import selectors
from ..models import InvoiceBalance


@transaction.atomic(savepoint=False)
def refresh(invoice_ids: Iterable[int | None], *, by=None, reason: str = "") -> None:
    """Recompute the stored balances of ``invoice_ids`` (issued ones; others and ``None`` are ignored)
    from their live allocations, in the transaction that changed them."""
    ids = sorted({pk for pk in invoice_ids if pk is not None})
    if not ids:
        return
    stored = dict(
        InvoiceBalance.objects.select_for_update().filter(invoice_id__in=ids).order_by("pk").values_list("pk", "owed")
    )
    now = selectors.with_balance(selectors.issued().filter(pk__in=ids)).values_list(
        "pk", "balance", "issued_on", "due_on"
    )
    new = [
        InvoiceBalance(invoice_id=pk, owed=owed, issued_on=issued_on, due_on=due_on)
        for pk, owed, issued_on, due_on in now
        if pk not in stored
    ]
    changed = [pk for pk, owed, _issued_on, _due_on in now if pk in stored and stored[pk] != owed]
    if new:
        InvoiceBalance.objects.bulk_create(new)
        record_history(InvoiceBalance.objects.filter(pk__in=[row.pk for row in new]), by=by, reason=reason,
                       history_type="+")  # fmt: skip
    if changed:
        balance = selectors.with_balance(Invoice.objects.filter(pk=OuterRef("pk"))).values("balance")
        rows = InvoiceBalance.objects.filter(pk__in=changed)
        rows.update(owed=Subquery(balance))
        record_history(rows, by=by, reason=reason)


def on_invoices_issued(sender, invoice_ids, by=None, **kwargs) -> None:
    """``billing.signals.invoices_issued`` receiver: the newly issued invoices owe their totals."""
    refresh(invoice_ids, by=by, reason=_("Invoices issued"))
