"""Issued means immutable: writes that go around ``save()`` are refused too (raw SQL on PostgreSQL)."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from backoffice.integrity import refusal_of
from billing.models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine, InvoiceTax, MonthState
from billing.sources import FeeKind

from .helpers import bill, bill_and_close, in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def issued():
    """A closed month with its issued invoice, line, tax row and document, and the open month after it."""
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=10_000)
    month = bill_and_close(2025, 2)
    invoice = Invoice.objects.get(month=month)
    return {
        "month": month,
        "invoice": invoice,
        "line": invoice.lines.get(),
        "tax": invoice.taxes.get(),
        "document": invoice.document,
        "open_month": bill(2025, 3),
    }


def _ids(rows) -> dict[str, int]:
    return {name: row.pk for name, row in rows.items()}


def _raw(sql: str, ids: dict[str, int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, ids)


LINE_COLUMNS = (
    "invoice_id, month_id, source_key, kind, description, occurred_on, service_code, amount, tax_rate, reason"
)

#: Raw SQL the database refuses, and the name it refuses it under.
REFUSED_SQL = {
    "issued invoice changed": (
        "UPDATE billing_invoice SET total = total + 1 WHERE id = %(invoice)s",
        "billing_invoice_issued_unchanged",
    ),
    "issued invoice deleted": (
        "DELETE FROM billing_invoice WHERE id = %(invoice)s",
        "billing_invoice_issued_unchanged",
    ),
    "invoice added to a closed month": (
        "INSERT INTO billing_invoice (customer_id, month_id, period_start, period_end, subtotal, tax, total,"
        " issuer_name, issuer_registration_number, customer_name)"
        " SELECT customer_id, month_id, period_start, period_end, 0, 0, 0, '', '', ''"
        " FROM billing_invoice WHERE id = %(invoice)s",
        "billing_month_closed_unchanged",
    ),
    "line added to a closed month": (
        f"INSERT INTO billing_invoiceline ({LINE_COLUMNS})"
        f" SELECT invoice_id, month_id, 'extra', kind, description, occurred_on, service_code, 1, tax_rate, reason"
        f" FROM billing_invoiceline WHERE id = %(line)s",
        "billing_month_closed_unchanged",
    ),
    "line of a closed month changed": (
        "UPDATE billing_invoiceline SET amount = 1 WHERE id = %(line)s",
        "billing_month_closed_unchanged",
    ),
    "line of a closed month deleted": (
        "DELETE FROM billing_invoiceline WHERE id = %(line)s",
        "billing_month_closed_unchanged",
    ),
    "line moved into a closed month": (
        "UPDATE billing_invoiceline SET month_id = %(month)s WHERE month_id = %(open_month)s",
        "billing_month_closed_unchanged",
    ),
    "tax row changed": ("UPDATE billing_invoicetax SET tax = 0 WHERE id = %(tax)s", "billing_invoicetax_written_once"),
    "tax row deleted": ("DELETE FROM billing_invoicetax WHERE id = %(tax)s", "billing_invoicetax_written_once"),
    "tax row added after closing": (
        "INSERT INTO billing_invoicetax (invoice_id, rate, taxable, tax) VALUES (%(invoice)s, 8, 100, 8)",
        "billing_invoicetax_written_once",
    ),
    "document changed": (
        "UPDATE billing_invoicedocument SET html = '' WHERE id = %(document)s",
        "billing_invoicedocument_written_once",
    ),
    "document deleted": (
        "DELETE FROM billing_invoicedocument WHERE id = %(document)s",
        "billing_invoicedocument_written_once",
    ),
    "closed month reopened": (
        "UPDATE billing_billingmonth SET state = 'open', closed_at = NULL WHERE id = %(month)s",
        "billing_billingmonth_closed_for_good",
    ),
    "closed month changed": (
        "UPDATE billing_billingmonth SET last_run_at = now() WHERE id = %(month)s",
        "billing_billingmonth_closed_for_good",
    ),
    "closed month deleted": (
        "DELETE FROM billing_billingmonth WHERE id = %(month)s",
        "billing_billingmonth_closed_for_good",
    ),
}


@pytest.mark.parametrize("write", REFUSED_SQL)
def test_the_database_refuses_raw_sql_into_what_was_issued(on_postgres, issued, write):
    sql, name = REFUSED_SQL[write]
    with pytest.raises(IntegrityError) as refused:
        _raw(sql, _ids(issued))
    assert refused.value.__cause__.diag.constraint_name == name
    refusal = refusal_of(refused.value)
    assert "never" in refusal.messages[0] and "database refused" not in refusal.messages[0]


def test_the_database_refusal_reads_in_japanese(issued):
    with pytest.raises(IntegrityError) as refused:
        _raw(REFUSED_SQL["closed month reopened"][0], _ids(issued))
    with translation.override("ja"):
        assert refusal_of(refused.value).messages == ["締めた請求月は再び開くことも、変更も削除もできません。"]


def test_raw_sql_into_an_open_month_still_works(on_postgres, issued):
    """The triggers refuse what was issued only: an open month's invoices and lines are the run's to write."""
    ids = _ids(issued)
    _raw("UPDATE billing_invoiceline SET amount = amount + 1 WHERE month_id = %(open_month)s", ids)
    _raw("UPDATE billing_invoice SET subtotal = 1 WHERE month_id = %(open_month)s", ids)
    _raw("UPDATE billing_billingmonth SET last_run_at = now() WHERE id = %(open_month)s", ids)
    _raw("DELETE FROM billing_invoiceline WHERE month_id = %(open_month)s", ids)
    assert not InvoiceLine.objects.filter(month=issued["open_month"]).exists()


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_still_empties_issued_rows():
    """The test framework (and ``flush``) TRUNCATEs, which fires no row trigger."""
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    bill_and_close(2025, 2)
    call_command("flush", interactive=False, verbosity=0)
    assert not BillingMonth.objects.exists() and not InvoiceTax.objects.exists()
    assert not InvoiceDocument.objects.exists()


#: Writes through the ORM that go around ``save()``: refused on every database.
REFUSED_ORM = {
    "issued invoices updated": lambda rows: Invoice.objects.filter(pk=rows["invoice"].pk).update(total=1),
    "issued invoices deleted": lambda rows: Invoice.objects.filter(pk=rows["invoice"].pk).delete(),
    "issued invoice deleted": lambda rows: rows["invoice"].delete(),
    "closed lines updated": lambda rows: InvoiceLine.objects.filter(month=rows["month"]).update(amount=1),
    "closed lines deleted": lambda rows: InvoiceLine.objects.filter(month=rows["month"]).delete(),
    "closed line deleted": lambda rows: rows["line"].delete(),
    "tax rows updated": lambda rows: InvoiceTax.objects.filter(pk=rows["tax"].pk).update(tax=0),
    "tax rows deleted": lambda rows: InvoiceTax.objects.all().delete(),
    "tax row saved again": lambda rows: rows["tax"].save(),
    "tax row deleted": lambda rows: rows["tax"].delete(),
    "documents updated": lambda rows: InvoiceDocument.objects.update(html=""),
    "document deleted": lambda rows: rows["document"].delete(),
    "closed months updated": lambda rows: BillingMonth.objects.filter(pk=rows["month"].pk).update(
        state=MonthState.OPEN, closed_at=None
    ),
    "closed months deleted": lambda rows: BillingMonth.objects.filter(pk=rows["month"].pk).delete(),
    "closed month reopened": lambda rows: _reopen(rows["month"]),
    "closed month deleted": lambda rows: rows["month"].delete(),
}


def _reopen(month):
    month.state, month.closed_at = MonthState.OPEN, None
    month.save()


@pytest.mark.parametrize("write", REFUSED_ORM)
def test_writes_around_save_are_refused(issued, write):
    with pytest.raises(ValidationError, match="never"):
        REFUSED_ORM[write](issued)
    month = BillingMonth.objects.get(pk=issued["month"].pk)
    invoice = Invoice.objects.get(pk=issued["invoice"].pk)
    assert month.is_closed and (invoice.total, invoice.lines.count(), invoice.taxes.count()) == (11_000, 1, 1)
    assert InvoiceDocument.objects.get().intact()


def test_an_open_months_rows_are_still_updated_and_deleted_in_bulk(issued):
    open_month = issued["open_month"]
    assert InvoiceLine.objects.filter(month=open_month).update(amount=5) == 1
    assert InvoiceLine.objects.filter(month=open_month).delete()[0] == 1
    assert Invoice.objects.filter(month=open_month).delete()[0] == 1
    assert BillingMonth.objects.filter(pk=open_month.pk).update(last_run_at=timezone.now()) == 1


def test_a_closed_month_line_added_by_bulk_create_is_refused_by_the_database(issued):
    line = issued["line"]
    extra = InvoiceLine(
        invoice=line.invoice,
        month=line.month,
        source_key="bulk",
        kind=FeeKind.ONE_TIME,
        description="x",
        occurred_on=line.occurred_on,
        amount=1,
        tax_rate=10,
    )
    with pytest.raises(IntegrityError, match="closed"), transaction.atomic():
        InvoiceLine.objects.bulk_create([extra])


#: Django's own ``update()`` and ``delete()``, as a queryset without the guards would send them.
UNGUARDED_ORM = {
    "issued invoices updated": lambda rows: QuerySet.update(Invoice.objects.filter(pk=rows["invoice"].pk), total=1),
    "closed lines deleted": lambda rows: QuerySet.delete(InvoiceLine.objects.filter(month=rows["month"])),
    "tax rows updated": lambda rows: QuerySet.update(InvoiceTax.objects.all(), tax=0),
    "closed months reopened": lambda rows: QuerySet.update(
        BillingMonth.objects.filter(pk=rows["month"].pk), state=MonthState.OPEN, closed_at=None
    ),
}


@pytest.mark.parametrize("write", UNGUARDED_ORM)
def test_the_database_refuses_the_orms_bulk_writes_without_the_guards(issued, write):
    with pytest.raises(IntegrityError, match="refused"), transaction.atomic():
        UNGUARDED_ORM[write](issued)
