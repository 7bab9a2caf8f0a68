"""A posted journal is immutable in the database: triggers refuse every UPDATE and DELETE of a posted batch
and its lines, whatever sends them, raw SQL included (as ``billing.0002`` does for issued invoices).

PostgreSQL only; SQLite's are ``receivables.0010``'s. Each refusal is
raised as a restrict violation (an ``IntegrityError``) under a name ``backoffice.integrity`` tells.
TRUNCATE fires no row trigger, so flushing a test database still works."""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION receivables_refuse_posted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % refused: a posted journal never changes and is never deleted', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_TABLE_NAME || '_posted';
END;
$$;
"""

TABLES = ("receivables_journalbatch", "receivables_journalline")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_posted BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION receivables_refuse_posted()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_posted ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS receivables_refuse_posted()")


class Migration(migrations.Migration):
    dependencies = [("receivables", "0005_credit_refunds_posted_journal")]

    operations = [migrations.RunPython(create, drop)]
