"""What a monitoring source posted is evidence: triggers refuse every UPDATE and DELETE of a kept payload and
its receipts, whatever sends them, raw SQL included (as ``billing.0002`` does for issued invoices). Each
refusal is named ``<table>_kept``, which ``backoffice.integrity`` tells in words. TRUNCATE fires no row
trigger, so flushing a test database still works."""

from django.db import migrations

TABLES = ("monitoring_payload", "monitoring_receipt")
EVENTS = ("UPDATE", "DELETE")

FUNCTION = """
CREATE FUNCTION monitoring_refuse_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % refused: a received alert request never changes and is never deleted', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_TABLE_NAME || '_kept';
END;
$$;
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(FUNCTION, None)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_kept BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION monitoring_refuse_kept()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for event in EVENTS:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_kept_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW BEGIN "
                    f"SELECT RAISE(ABORT, '{table}_kept: a received alert request never changes, refused'); END"
                )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_kept ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS monitoring_refuse_kept()")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_kept_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_monitoring")]

    operations = [migrations.RunPython(create, drop)]
