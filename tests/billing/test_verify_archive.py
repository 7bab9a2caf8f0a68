"""``verify_archive``: a whole archive passes; a document changed behind the guards, a number never issued or
issued twice and a trigger dropped or switched off each fail, naming what."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from billing.archive import expected_triggers, numbers_text
from billing.models import Invoice, InvoiceCounter
from tests.receivables.conftest import issue, sato, yamada  # noqa: F401  (invoices issued by billing's closing)
from tests.tampering import behind_every_guard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def verify_archive() -> str:
    out = io.StringIO()
    call_command("verify_archive", language="en", stdout=out)
    return out.getvalue()


def refused() -> str:
    with pytest.raises(CommandError) as refusal:
        verify_archive()
    return str(refusal.value)


@pytest.fixture
def archive(issue, yamada, sato):  # noqa: F811
    """Two months issued: invoices No.1–2 in February, No.3–4 in March, each with its stored document."""
    issue(2025, 2, (yamada, 10_000), (sato, 20_000))
    issue(2025, 3, (yamada, 10_000), (sato, 20_000))
    return {invoice.number: invoice for invoice in Invoice.objects.filter(number__isnull=False)}


def test_a_whole_archive_passes_with_a_count_per_check(archive):
    out = verify_archive()
    assert "OK  Stored documents (PDF) of issued invoices: 4 checked" in out
    assert "OK  Invoice numbers: 4 checked" in out
    billing_triggers = 5 if connection.vendor == "postgresql" else 14
    assert f"OK  Immutability triggers: issued invoices (billing): {billing_triggers} checked" in out
    assert "OK  Immutability triggers: posted journal (receivables)" in out
    assert "OK  Immutability triggers: received alert requests (monitoring)" in out
    assert "The archive is whole: 5 checks passed." in out


def test_a_pdf_changed_behind_the_guards_fails_naming_the_invoice(archive):
    with behind_every_guard() as cursor:
        cursor.execute(
            "UPDATE billing_invoicedocument SET pdf = %s WHERE invoice_id = %s", [b"%PDF-1.7 x", archive[3].pk]
        )
    error = refused()
    assert error.startswith("1 check failed: Stored documents (PDF) of issued invoices")
    assert "does not match its checksum: No.00000003" in error


def test_an_issued_invoice_without_its_document_fails(archive):
    with behind_every_guard() as cursor:
        cursor.execute("DELETE FROM billing_invoicedocument WHERE invoice_id = %s", [archive[2].pk])
    assert "no stored document: No.00000002" in refused()


def test_a_gap_in_the_numbers_fails_naming_the_missing_numbers(archive):
    with behind_every_guard() as cursor:
        cursor.execute("UPDATE billing_invoice SET number = 6 WHERE id = %s", [archive[4].pk])
    InvoiceCounter.objects.update(last_number=6)
    error = refused()
    assert "Invoice numbers (numbers never issued: No.00000004–No.00000005)" in error


def test_a_counter_behind_the_numbers_fails(archive):
    InvoiceCounter.objects.update(last_number=3)
    assert "the counter's last number (3) is behind the highest number issued (4)" in refused()


def test_a_number_issued_twice_fails(archive, on_postgres):
    """Only a restore that lost the unique index lets it happen: the index dropped here, in the test's transaction."""
    [unique] = [
        name
        for name, spec in connection.introspection.get_constraints(connection.cursor(), "billing_invoice").items()
        if spec["columns"] == ["number"] and spec["unique"]
    ]
    with behind_every_guard() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key check pending on the table altered
        cursor.execute(f"ALTER TABLE billing_invoice DROP CONSTRAINT {unique}")
        cursor.execute("UPDATE billing_invoice SET number = 3 WHERE id = %s", [archive[4].pk])
    error = refused()
    assert "numbers issued twice: No.00000003" in error and "numbers never issued: No.00000004" in error


def test_a_dropped_trigger_fails_naming_it():
    """Dropped inside the test's transaction, which rolls it back (PostgreSQL and SQLite alike)."""
    name = "billing_invoice_issued" if connection.vendor == "postgresql" else "billing_invoice_update"
    drop = f"DROP TRIGGER {name} ON billing_invoice" if connection.vendor == "postgresql" else f"DROP TRIGGER {name}"
    with connection.cursor() as cursor:
        cursor.execute(drop)
    assert refused() == f"1 check failed: Immutability triggers: issued invoices (billing) (missing: {name})"


def test_a_dropped_journal_trigger_fails_too():
    name = "receivables_journalline_posted" + ("" if connection.vendor == "postgresql" else "_delete")
    drop = f"DROP TRIGGER {name}" + (" ON receivables_journalline" if connection.vendor == "postgresql" else "")
    with connection.cursor() as cursor:
        cursor.execute(drop)
    assert f"posted journal (receivables) (missing: {name})" in refused()


def test_a_trigger_switched_off_fails(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE monitoring_payload DISABLE TRIGGER monitoring_payload_kept")
    assert "(monitoring) (not enabled or on another table: monitoring_payload_kept)" in refused()


def test_the_expected_triggers_are_those_the_migrations_create():
    assert expected_triggers(("monitoring.migrations.0002_received_requests_kept",), "postgresql") == {
        "monitoring_payload_kept": "monitoring_payload",
        "monitoring_receipt_kept": "monitoring_receipt",
    }
    assert len(expected_triggers(("billing.migrations.0005_issued_rows_immutable_on_sqlite",), "sqlite")) == 14


def test_numbers_are_listed_as_printed_with_runs_and_a_limit():
    assert numbers_text([1, 2, 3, 7]) == "No.00000001–No.00000003, No.00000007"
    assert numbers_text(list(range(1, 100, 2))).endswith(", No.00000039, and 30 more")
