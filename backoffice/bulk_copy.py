"""Inserting many new rows with their history at the speed of the database.

``bulk_create`` spends most of its time building the SQL of each row in Python, and history doubles it:
20,000 invoice lines took seconds. On PostgreSQL the rows and their "+" history rows go in with ``COPY``
instead, after one query has drawn their ids from the table's sequence (so the history names them and the
caller's objects get them, as ``bulk_create`` does). Values are prepared by the fields themselves, as
for any save. Elsewhere (SQLite) it is ``bulk_create`` and simple-history's ``bulk_history_create``.
Rows changed in bulk get their history from the database itself (``record_history``).
"""

from django.db import connections, router
from django.utils import timezone

HISTORY_FIELDS = {"history_date", "history_change_reason", "history_type", "history_user"}


def insert_with_history(model, objs: list, *, by=None, reason: str = "") -> None:
    """Insert ``objs`` (new rows of ``model``, without ids) and a creation history row of each, naming ``by``
    and ``reason``. Sets each object's id."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    history = model.history.model
    if connection.vendor != "postgresql" or not _plain_history(model, history):
        model.objects.bulk_create(objs)
        model.history.bulk_history_create(objs, default_user=by, default_change_reason=reason)
        return
    table, pk = model._meta.db_table, model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        for obj, (pk_value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk_value
            obj._state.adding, obj._state.db = False, connection.alias
        fields = [field for field in model._meta.concrete_fields]
        _copy(cursor, table, [f.column for f in fields], ([_value(f, obj, connection) for f in fields] for obj in objs))
        tracked = [history._meta.get_field(field.attname) for field in history.tracked_fields]
        stamp = [timezone.now(), reason, "+", getattr(by, "pk", None)]
        columns = [f.column for f in tracked] + ["history_date", "history_change_reason", "history_type"]
        columns.append(history._meta.get_field("history_user").column)
        rows = ([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in tracked] + stamp for obj in objs)
        _copy(cursor, history._meta.db_table, columns, rows)


def insert_built(model, objs: list) -> None:
    """Insert ``objs`` (rows of ``model`` built whole, ids left to the table) as they are; their ids are not
    read back."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    rows = ([field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] for obj in objs)
    with connection.cursor() as cursor:
        _copy(cursor, model._meta.db_table, [field.column for field in fields], rows)


def record_history(queryset, *, by=None, reason: str = "", history_type: str = "~") -> None:
    """Write a history row of each row of ``queryset`` as it is stored now, naming ``by`` and ``reason``, by one
    ``INSERT … SELECT``: after a bulk ``UPDATE`` the history copies what the database holds, and no object
    per row is built (``bulk_update_with_history`` builds two). The history must hold only tracked fields."""
    model = queryset.model
    history = model.history.model
    if not _plain_history(model, history):
        raise ValueError(f"{history._meta.label} has fields of its own: its rows need simple-history's signals")
    connection = connections[queryset.db]
    tracked = [field.attname for field in history.tracked_fields]
    columns = [history._meta.get_field(name).column for name in tracked]
    columns += [history._meta.get_field(name).column for name in ("history_date", "history_change_reason")]
    columns += [history._meta.get_field(name).column for name in ("history_type", "history_user")]
    stamp = [
        history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection),
        reason,
        history_type,
        getattr(by, "pk", None),
    ]
    rows, params = queryset.order_by().values_list(*tracked).query.sql_with_params()
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) SELECT stored.*, %s, %s, %s, %s FROM ({}) AS stored".format(
        quote(history._meta.db_table), ", ".join(quote(column) for column in columns), rows
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*stamp, *params])


def _value(field, obj, connection):
    return field.get_db_prep_save(field.pre_save(obj, add=True), connection)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quote = cursor.db.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _plain_history(model, history) -> bool:
    """Whether the history model holds only the tracked fields and simple-history's own (no extra fields a
    signal would fill): then its rows can be written directly."""
    own = {field.name for field in history._meta.concrete_fields if not field.primary_key}
    tracked = {field.attname for field in history.tracked_fields} | {field.name for field in history.tracked_fields}
    return own - tracked <= HISTORY_FIELDS


__all__ = ["insert_built", "insert_with_history", "record_history"]
