"""Issued means immutable, in the database: triggers refuse every write into what was issued.

Written by hand: each rule reads another row (the month's state, the invoice's number), which a
plain condition on the row cannot, so the triggers are plpgsql functions; no package needed.
PostgreSQL only; SQLite's are ``billing.0005``'s. Each refusal
is raised as a restrict violation (an ``IntegrityError``) under a name ``backoffice.integrity`` tells.
TRUNCATE fires no row trigger, so flushing a test database still works.
"""

from django.db import migrations

FUNCTIONS = [
    (
        "billing_month_is_closed(bigint)",
        """
CREATE FUNCTION billing_month_is_closed(month_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM billing_billingmonth WHERE id = $1 AND state = 'closed')
$$;
""",
    ),
    (
        "billing_refuse_issued_invoice()",
        """
CREATE FUNCTION billing_refuse_issued_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.number IS NOT NULL THEN
        RAISE EXCEPTION 'invoice No.% is issued: it is never changed or deleted (% refused)', OLD.number, TG_OP
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'billing_invoice_issued_unchanged';
    END IF;
    IF (TG_OP <> 'INSERT' AND billing_month_is_closed(OLD.month_id))
        OR (TG_OP <> 'DELETE' AND billing_month_is_closed(NEW.month_id)) THEN
        RAISE EXCEPTION 'the billing month of this invoice is closed: its invoices never change (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'billing_month_closed_unchanged';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
""",
    ),
    (
        "billing_refuse_closed_line()",
        """
CREATE FUNCTION billing_refuse_closed_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND billing_month_is_closed(OLD.month_id))
        OR (TG_OP <> 'DELETE' AND billing_month_is_closed(NEW.month_id)) THEN
        RAISE EXCEPTION 'the billing month of this invoice line is closed: its lines never change (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'billing_month_closed_unchanged';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
""",
    ),
    (
        "billing_refuse_rewriting_issued()",
        """
CREATE FUNCTION billing_refuse_rewriting_issued() RETURNS trigger LANGUAGE plpgsql AS $$
-- The tax rows and the document of an invoice: inserted once it is numbered, never updated nor deleted.
-- Tax rows only while its month closes (the invoice's totals are fixed then); a document may come later.
BEGIN
    IF TG_OP = 'INSERT' AND EXISTS (
        SELECT 1 FROM billing_invoice WHERE id = NEW.invoice_id AND number IS NOT NULL
            AND (TG_TABLE_NAME = 'billing_invoicedocument' OR NOT billing_month_is_closed(month_id))
    ) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% of % refused: written once, for an issued invoice, and never changed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_TABLE_NAME || '_written_once';
END;
$$;
""",
    ),
    (
        "billing_refuse_reopening()",
        """
CREATE FUNCTION billing_refuse_reopening() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'closed' THEN
        RAISE EXCEPTION 'billing month % is closed: never reopened, changed or deleted (% refused)', OLD.month, TG_OP
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'billing_billingmonth_closed_for_good';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
""",
    ),
]

#: (trigger name, table, events, function)
TRIGGERS = [
    ("billing_invoice_issued", "billing_invoice", "INSERT OR UPDATE OR DELETE", "billing_refuse_issued_invoice"),
    ("billing_invoiceline_closed", "billing_invoiceline", "INSERT OR UPDATE OR DELETE", "billing_refuse_closed_line"),
    ("billing_invoicetax_once", "billing_invoicetax", "INSERT OR UPDATE OR DELETE", "billing_refuse_rewriting_issued"),
    (
        "billing_invoicedocument_once",
        "billing_invoicedocument",
        "INSERT OR UPDATE OR DELETE",
        "billing_refuse_rewriting_issued",
    ),
    ("billing_billingmonth_closed", "billing_billingmonth", "UPDATE OR DELETE", "billing_refuse_reopening"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _signature, sql in FUNCTIONS:
        schema_editor.execute(sql, None)
    for name, table, events, function in TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, _events, _function in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for signature, _sql in reversed(FUNCTIONS):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {signature}")


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_billing_models")]

    operations = [migrations.RunPython(create, drop)]
