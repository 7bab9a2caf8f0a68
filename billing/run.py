"""The monthly run: an open month's invoices made to say exactly what is owed now.

An open month is a draft. A run derives what the registered sources owe for the month (``plan``): for
the first open month also what closed months owe now from rows recorded or changed after they were
issued (late rows), and for every key it subtracts what has been charged for it, staff's corrections
included (``billing.charged``); a key whose source still says what its issued lines charged owes nothing,
so a correction stands until the source itself changes, and then the source is billed once. It then
reconciles the month's lines with that: lines added, amounts updated, lines no longer owed removed, each
with its history and the user. A key already issued with another amount gets an adjustment line naming
the original. All of it is one transaction holding the month's lock: a run is never half-written, two
runs take turns, and closing (which takes the same lock and derives the same plan) never meets one.
Staff's own corrections (``billing.corrections``) are left as they are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from itertools import batched
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.bulk_history import insert_with_history, update_with_history
from backoffice.display import date_text, month_text, yen
from backoffice.months import Month
from backoffice.moves import save_audited
from contracts import selectors

from . import calc
from .charged import CORRECTION_PREFIX, Charged, charged_for
from .contract_charges import KEY_PREFIXES, late_charges
from .invoiced import tell_sources_again
from .models import BillingMonth, Invoice, InvoiceLine, MonthState
from .models.ranges import SIGNED_YEN
from .sources import Charge, FeeKind, registered

BATCH_SIZE = 1000
#: Rows recorded this long before a month was closed are read again too: a change committed while the
#: month closed may carry an earlier time than the closing.
LATE_MARGIN = timedelta(days=1)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunResult:
    charges: int
    invoices_created: int
    lines_created: int
    lines_changed: int = 0
    lines_removed: int = 0


class Owed(NamedTuple):
    """One line the month owes now, for ``customer``, as plain values: a run compares tens of thousands with
    the lines the month has and writes few, so a model is built only for a line added or changed. The
    fields after the key are those a run sets (``LINE_FIELDS``), compared to tell a changed line."""

    customer: int
    source_key: str
    kind: str
    description: str
    occurred_on: date
    contract_id: int | None
    service_code: str
    quantity: int | None
    unit_price: int | None
    amount: int
    tax_rate: int
    adjusts_id: int | None
    reason: str

    @property
    def fields(self) -> tuple:
        """The values of ``LINE_FIELDS``, in their order."""
        return self[2:]

    def line(self, month: BillingMonth) -> InvoiceLine:
        return InvoiceLine(month=month, source_key=self.source_key, **dict(zip(LINE_FIELDS, self.fields, strict=True)))


#: The fields of a line a run sets (an ``InvoiceLine``'s own names), in ``Owed``'s order.
LINE_FIELDS = Owed._fields[2:]


@dataclass
class Plan:
    """What the month's lines should be now (``owed``), and how they differ from the lines it has; what the
    sources say each key they offer (or withdraw: 0) owes in all (``said``). Staff's corrections on the month
    (``corrections``: customer and amount of each) are none of a run's, but the month bills them: its lines,
    total and customers count them, so the dry run says what closing will issue."""

    month: BillingMonth
    owed: dict[str, Owed] = field(default_factory=dict)
    said: dict[str, int] = field(default_factory=dict)
    add: list[InvoiceLine] = field(default_factory=list)
    change: list[tuple[InvoiceLine, InvoiceLine]] = field(default_factory=list)
    remove: list[InvoiceLine] = field(default_factory=list)
    corrections: list[tuple[int, int]] = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        return not (self.add or self.change or self.remove)

    @property
    def lines(self) -> int:
        return len(self.owed) + len(self.corrections)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.owed.values()) + sum(amount for _c, amount in self.corrections)

    @property
    def customers(self) -> int:
        return len({line.customer for line in self.owed.values()} | {customer for customer, _a in self.corrections})


def billing_month(year: int, month: int, *, by=None) -> BillingMonth:
    """The month's row, opened on first use (with its history); months open in order (``refuse_out_of_order``)."""
    try:
        return BillingMonth.objects.get(month__year=year, month__month=month)
    except BillingMonth.DoesNotExist:
        row = BillingMonth(month=date(year, month, 1))
        try:
            with transaction.atomic():
                save_audited(row, by=by, reason=_("Billing month opened"))
        except (IntegrityError, ValidationError):
            opened = BillingMonth.objects.filter(month__year=year, month__month=month).first()
            if opened is None:  # refused (out of order), not opened by a concurrent run meanwhile
                raise
            return opened
        return row


@cache
def tax_percent(day) -> int:
    """The consumption tax rate on ``day`` in whole percent, as lines and invoices store it (a law's table:
    kept per day once read)."""
    return int(Decimal(str(calc.tax_rate_on(day))) * 100)


def refuse_closed(month: BillingMonth) -> None:
    if month.is_closed:
        raise ValidationError(_("The billing month %(month)s is closed: it is not run again.") % {"month": month})


def charges_of(month: BillingMonth, late: list[tuple[BillingMonth, object]]) -> list[Charge]:
    """Every registered source's charges for the month, each key once (Japanese descriptions: the invoice's),
    with what the ``late`` months (``late_months``) owe now from late rows.

    What is dated before the month is billed by the first open month only; a later open month leaves it
    to that one, so a late charge lands once.
    """
    first_open = is_first_open(month)
    seen, charges = set(), []
    with translation.override("ja"):
        found = [source(month.period) for source in registered().values()]
        found += [late_charges(closed.period, touched_since=since) for closed, since in late]
        for charge in (charge for source in found for charge in source):
            if charge.source_key in seen or (not first_open and charge.occurred_on < month.period.first_day):
                continue
            seen.add(charge.source_key)
            charges.append(charge)
    return charges


def is_first_open(month: BillingMonth) -> bool:
    return not BillingMonth.objects.filter(month__lt=month.month, state=MonthState.OPEN).exists()


def late_months(month: BillingMonth) -> list[tuple[BillingMonth, object]]:
    """The closed months whose late rows ``month`` bills, with the moment after which a row recorded or
    changed is late for them (their closing, less a margin): all of them for the first open month, none
    for a later one."""
    if not is_first_open(month):
        return []
    closed = BillingMonth.objects.filter(month__lt=month.month, state=MonthState.CLOSED).order_by("month")
    return [(row, row.closed_at - LATE_MARGIN) for row in closed]


def plan(month: BillingMonth) -> Plan:
    """What ``month``'s lines should be now, against the lines it has. Reads only."""
    late = late_months(month)
    charges = charges_of(month, late)
    withdrawn = _issued_keys_of_late_rows(late)
    result = Plan(month)
    result.said = {charge.source_key: charge.amount for charge in charges}
    result.said |= {key: 0 for key in withdrawn - result.said.keys()}
    issued = _issued(result.said.keys())
    with translation.override("ja"):
        for charge in charges:
            result.owed.update(_owed(month, charge.source_key, charge.amount, charge, issued))
        for key in withdrawn - {charge.source_key for charge in charges}:
            if key not in result.owed:
                result.owed.update(_owed(month, key, 0, None, issued))
    lines = InvoiceLine.objects.filter(month=month) if month.pk else InvoiceLine.objects.none()
    # The month's lines as plain values, compared as tuples: only the lines a run changes or removes are read
    # again as models (one query), and only those it adds or changes are built.
    existing = {
        key: (pk, customer, values)
        for pk, key, customer, *values in lines.exclude(source_key__startswith=CORRECTION_PREFIX)
        .order_by("pk")
        .values_list("pk", "source_key", "invoice__customer", *LINE_FIELDS)
    }
    corrections = lines.filter(source_key__startswith=CORRECTION_PREFIX).order_by("pk")
    result.corrections = list(corrections.values_list("invoice__customer", "amount"))
    _refuse_out_of_range(result.owed.values())
    changed, removed = {}, []
    for key, owed in result.owed.items():
        pk, customer, values = existing.get(key, (None, None, None))
        if pk is None:
            result.add.append(owed.line(month))
        elif customer != owed.customer:
            removed.append(pk)
            result.add.append(owed.line(month))
        elif tuple(values) != owed.fields:
            changed[pk] = owed.line(month)
    removed += [pk for key, (pk, _customer, _values) in existing.items() if key not in result.owed]
    models = lines.in_bulk([*changed, *removed]) if changed or removed else {}
    result.change = [(models[pk], line) for pk, line in changed.items()]
    result.remove = [models[pk] for pk in removed]
    return result


def _refuse_out_of_range(owed) -> None:
    """A line carries at most ``SIGNED_YEN``: a charge beyond it stops the run, named, rather than be lost."""
    beyond = [line for line in owed if not SIGNED_YEN.low <= line.amount <= SIGNED_YEN.high]
    if beyond:
        raise ValidationError(
            _("%(key)s owes %(amount)s, more than one invoice line may carry: correct the row it comes from.")
            % {"key": beyond[0].source_key, "amount": yen(beyond[0].amount)}
        )


def _owed(month, key: str, amount: int, charge: Charge | None, issued: dict[str, Charged]) -> dict[str, Owed]:
    """``{key: line}`` the month owes for ``key``: ``amount`` less what has been charged for it, staff's
    corrections included (``charged_for``); nothing when that is all of it, or when the source still says
    what the key's issued lines charged (staff's corrections of them stand)."""
    found = issued.get(key)
    if found is None:
        return {key: _line(month, charge)} if amount else {}
    if amount == found.issued:
        return {}
    charged, original = found.amount, found.first
    difference = amount - charged
    if difference == 0:
        return {}
    description = _("Correction of %(line)s (invoice %(number)s of %(date)s): %(was)s → %(now)s") % {
        "line": original.description,
        "number": original.invoice.display_number,
        "date": date_text(original.invoice.issued_on),
        "was": yen(charged),
        "now": yen(amount),
    }
    return {
        key: Owed(
            customer=original.invoice.customer_id,
            source_key=key,
            kind=FeeKind.ADJUSTMENT,
            description=description[:300],
            occurred_on=original.occurred_on,
            contract_id=original.contract_id,
            service_code=original.service_code,
            quantity=None,
            unit_price=None,
            amount=difference,
            tax_rate=original.tax_rate,
            adjusts_id=original.pk,
            reason=_("Recomputed after the invoice was issued: what is owed changed."),
        )
    }


def _issued(keys) -> dict[str, Charged]:
    """What has been charged for each of ``keys`` issued, every adjustment included (``charged_for``)."""
    return charged_for(keys)


def _issued_keys_of_late_rows(late: list[tuple[BillingMonth, object]]) -> set[str]:
    """Billing's own issued keys of the contracts recorded or changed after their ``late`` month closed: a
    key of theirs the sources no longer offer is owed nothing now, and what was charged for it is given back."""
    found = set()
    for closed, since in late:
        touched = selectors.contracts_touched_since(since)
        lines = InvoiceLine.objects.filter(
            month__state=MonthState.CLOSED,
            contract_id__in=touched,
            occurred_on__range=(closed.period.first_day, closed.period.last_day),
        ).exclude(source_key__startswith=CORRECTION_PREFIX)
        found |= {key for key in lines.values_list("source_key", flat=True) if key.startswith(KEY_PREFIXES)}
    return found


def run_month(month: BillingMonth, *, by=None, progress: Progress | None = None) -> RunResult:
    """Bill ``month``: make its lines what is owed now. Returns the counts written."""
    refuse_closed(month)
    tell_sources_again()
    with transaction.atomic():
        locked = BillingMonth.objects.select_for_update().get(pk=month.pk)
        refuse_closed(locked)
        todo = plan(locked)
        reason = _("Billing run of %(month)s") % {"month": locked}
        removed = _remove(todo.remove, by, reason)
        changed = _change(todo.change, by, reason)
        invoices, added = _add(locked, todo, by, reason, progress)
        _drop_empty_invoices(locked, by, reason)
        locked.last_run_at, locked.last_run_by = timezone.now(), by
        save_audited(
            locked,
            by=by,
            reason=_("Billing run: %(added)d lines added, %(changed)d changed, %(removed)d removed")
            % {"added": added, "changed": changed, "removed": removed},
        )
    month.refresh_from_db()
    return RunResult(
        charges=len(todo.owed),
        invoices_created=invoices,
        lines_created=added,
        lines_changed=changed,
        lines_removed=removed,
    )


def _remove(lines: list[InvoiceLine], by, reason: str) -> int:
    for line in lines:
        line._history_user, line._change_reason = by, reason
        line.delete()
    return len(lines)


def _change(pairs: list[tuple[InvoiceLine, InvoiceLine]], by, reason: str) -> int:
    rows = []
    for current, line in pairs:
        for name in LINE_FIELDS:
            setattr(current, name, getattr(line, name))
        rows.append(current)
    if rows:
        update_with_history(InvoiceLine, rows, [name.removesuffix("_id") for name in LINE_FIELDS], by=by, reason=reason)
    return len(rows)


def _add(month: BillingMonth, todo: Plan, by, reason: str, progress: Progress | None) -> tuple[int, int]:
    """Write the lines to add, in batches (one progress step each): (invoices created, lines created)."""
    customer_of = {line.source_key: todo.owed[line.source_key].customer for line in todo.add}
    invoice_of, created = _invoices_for(month, set(customer_of.values()), by, reason)
    batches = list(batched(todo.add, BATCH_SIZE))
    for done, batch in enumerate(batches, start=1):
        for line in batch:
            line.invoice_id, line.created_by = invoice_of[customer_of[line.source_key]], by
        insert_with_history(InvoiceLine, list(batch), by=by, reason=reason)
        if progress:
            progress(done, len(batches))
    return len(created), len(todo.add)


def _drop_empty_invoices(month: BillingMonth, by, reason: str) -> None:
    """An open invoice left without a line is owed nothing: it goes, with its history."""
    for invoice in Invoice.objects.filter(month=month, lines__isnull=True):
        invoice._history_user, invoice._change_reason = by, reason
        invoice.delete()


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
    insert_with_history(Invoice, missing, by=by, reason=reason)
    return existing | {invoice.customer_id: invoice.pk for invoice in missing}, missing


def _line(month: BillingMonth, charge: Charge) -> Owed:
    """The line of a charge never issued; one dated before ``month`` says which month it is for."""
    description = charge.description
    if charge.occurred_on < month.period.first_day:
        late = Month.of(charge.occurred_on)
        description = _("For %(month)s: %(description)s") % {
            "month": month_text(late),
            "description": description,
        }
    return Owed(
        customer=charge.customer_id,
        source_key=charge.source_key,
        kind=charge.kind,
        description=description[:300],
        occurred_on=charge.occurred_on,
        contract_id=charge.contract_id,
        service_code=charge.service_code,
        quantity=charge.quantity,
        unit_price=charge.unit_price,
        amount=charge.amount,
        tax_rate=tax_percent(charge.occurred_on),
        adjusts_id=None,
        reason="",
    )


__all__ = ["Owed", "Plan", "RunResult", "billing_month", "plan", "run_month", "tax_percent"]
