"""A posted journal is immutable on SQLite too: ``receivables.0006``'s refusals as SQLite triggers, each
message led by the same name, which ``backoffice.integrity`` finds in it."""

from django.db import migrations

TABLES = ("receivables_journalbatch", "receivables_journalline")
EVENTS = ("UPDATE", "DELETE")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for event in EVENTS:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_posted_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW BEGIN "
                f"SELECT RAISE(ABORT, '{table}_posted: a posted journal never changes, refused'); END"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for event in EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_posted_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [("receivables", "0009_refund_cancellations")]

    operations = [migrations.RunPython(create, drop)]
