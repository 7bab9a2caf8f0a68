"""Issued means immutable on SQLite too: the refusals of ``billing.0002``'s PostgreSQL triggers, as SQLite
triggers (``RAISE(ABORT, …)``, an ``IntegrityError``), each message led by the same name, which
``backoffice.integrity`` finds in it and tells in the same words. ``flush`` empties the tables with the
triggers off (``backoffice.sqlite``), as TRUNCATE fires no row trigger."""

from django.db import migrations

CLOSED = "EXISTS (SELECT 1 FROM billing_billingmonth WHERE id = {}.month_id AND state = 'closed')"
ISSUED = "OLD.number IS NOT NULL"


def refuse(name: str, when: str, words: str) -> str:
    return f"SELECT RAISE(ABORT, '{name}: {words}, refused') WHERE {when};"


#: (trigger, event, table, body): a trigger's statements run in order, so the first refusal met is told.
TRIGGERS = [
    *(
        (
            f"billing_invoice_{event.lower()}",
            event,
            "billing_invoice",
            (refuse("billing_invoice_issued_unchanged", ISSUED, "an issued invoice never changes") if old else "")
            + refuse("billing_month_closed_unchanged", when, "the invoices of a closed month never change"),
        )
        for event, old, when in [
            ("INSERT", False, CLOSED.format("NEW")),
            ("UPDATE", True, f"{CLOSED.format('OLD')} OR {CLOSED.format('NEW')}"),
            ("DELETE", True, CLOSED.format("OLD")),
        ]
    ),
    *(
        (
            f"billing_invoiceline_{event.lower()}",
            event,
            "billing_invoiceline",
            refuse("billing_month_closed_unchanged", when, "the lines of a closed month never change"),
        )
        for event, when in [
            ("INSERT", CLOSED.format("NEW")),
            ("UPDATE", f"{CLOSED.format('OLD')} OR {CLOSED.format('NEW')}"),
            ("DELETE", CLOSED.format("OLD")),
        ]
    ),
    *(
        (
            f"{table}_{event.lower()}",
            event,
            table,
            refuse(f"{table}_written_once", when, "written once, for an issued invoice, and never changed"),
        )
        for table, closing_only in [("billing_invoicetax", True), ("billing_invoicedocument", False)]
        for event, when in [
            (
                "INSERT",
                "NOT EXISTS (SELECT 1 FROM billing_invoice WHERE id = NEW.invoice_id AND number IS NOT NULL"
                + (f" AND NOT {CLOSED.format('billing_invoice')})" if closing_only else ")"),
            ),
            ("UPDATE", "1"),
            ("DELETE", "1"),
        ]
    ),
    *(
        (
            f"billing_billingmonth_{event.lower()}",
            event,
            "billing_billingmonth",
            refuse("billing_billingmonth_closed_for_good", "OLD.state = 'closed'", "a closed month is never reopened"),
        )
        for event in ["UPDATE", "DELETE"]
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, event, table, body in TRIGGERS:
        schema_editor.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW BEGIN {body} END")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, _event, _table, _body in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_receivables_order_index")]

    operations = [migrations.RunPython(create, drop)]
