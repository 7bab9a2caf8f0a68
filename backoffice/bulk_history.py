"""History of many rows written in few statements: the one place the project writes history in bulk.

simple-history writes one history row per save, one ``INSERT`` each; ``save_audited``
(``backoffice.moves``) is that single-row path, naming who and why. Where rows go by the thousand the
writers here name who and why the same way, through simple-history's public API only (a history
model's ``tracked_fields`` and ``get_default_history_user``, ``get_change_reason_from_object``,
``bulk_update_with_history``, ``bulk_history_create``, ``skip_history_when_saving``):

- ``insert_with_history``: new rows and their "+" history (``COPY`` on PostgreSQL, ids drawn first);
- ``update_with_history``: rows changed in Python, and their "~" history (``bulk_update_with_history``);
- ``record_history``: history of rows as the database now holds them, after a bulk ``UPDATE``
  (one ``INSERT … SELECT``, no object built per row);
- ``deferred_history``: every save of a block (a contract import's pass) writes its row without history;
  the history row is built then, as simple-history builds it, and written at the block's ``flush``, one
  statement a history table.

``tests/backoffice/test_bulk_history.py`` compares, field for field, what each writer stores with what a
plain save stores: an upgrade of simple-history that changes either fails it.
"""

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections, router
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.signals import pre_create_historical_record
from simple_history.utils import (
    bulk_update_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
    get_history_model_for_model,
)

HISTORY_FIELDS = {"history_date", "history_change_reason", "history_type", "history_user"}

#: What a deferred block does to each history row it stamps (the import names its row and day).
Stamp = Callable[[object], None]

_blocks = itertools.count()


def insert_with_history(model, objs: list, *, by=None, reason: str = "") -> None:
    """Insert ``objs`` (new rows of ``model``, without ids) and a creation history row of each, naming ``by``
    and ``reason``. Sets each object's id.

    ``bulk_create`` spends most of its time building the SQL of each row in Python, and history doubles
    it (20,000 invoice lines took seconds): on PostgreSQL the rows and their history go in with ``COPY``
    after one query drew their ids from the table's sequence. Elsewhere (SQLite) it is ``bulk_create`` and
    simple-history's ``bulk_history_create``."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    history = get_history_model_for_model(model)
    if connection.vendor != "postgresql" or not _plain_history(history):
        model.objects.bulk_create(objs)
        get_history_manager_for_model(model).bulk_history_create(objs, default_user=by, default_change_reason=reason)
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
        fields = list(model._meta.concrete_fields)
        _copy(cursor, table, [f.column for f in fields], ([_value(f, obj, connection) for f in fields] for obj in objs))
        tracked = [history._meta.get_field(field.attname) for field in history.tracked_fields]
        stamp = [timezone.now(), reason, "+", getattr(by, "pk", None)]
        columns = [f.column for f in tracked] + ["history_date", "history_change_reason", "history_type"]
        columns.append(history._meta.get_field("history_user").column)
        rows = ([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in tracked] + stamp for obj in objs)
        _copy(cursor, history._meta.db_table, columns, rows)


def update_with_history(model, objs: list, fields: list[str], *, by=None, reason: str = "") -> None:
    """Save ``fields`` of ``objs`` (rows of ``model``) in one ``UPDATE`` a batch and write a "~" history row of
    each naming ``by`` (without it, simple-history's user of the moment) and ``reason``."""
    bulk_update_with_history(objs, model, fields, default_user=by, default_change_reason=reason)


def record_history(queryset, *, by=None, reason: str = "", history_type: str = "~") -> None:
    """Write a history row of each row of ``queryset`` as it is stored now, naming ``by`` and ``reason``, by one
    ``INSERT … SELECT``: after a bulk ``UPDATE`` the history copies what the database holds, and no object
    per row is built (``bulk_update_with_history`` builds two). The history must hold only tracked fields."""
    model = queryset.model
    history = get_history_model_for_model(model)
    if not _plain_history(history):
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


class DeferredHistory:
    """The history rows of one block's saves, built at each save and kept until ``flush``.

    A save in the block is marked ``skip_history_when_saving`` (simple-history's own switch) before it
    runs and its history row built after, as simple-history builds it: the instance's ``_history_user``
    (or the user of the moment), ``_change_reason`` and ``_history_date`` (or now), every tracked field
    as saved; then ``stamp`` runs on it. Only the saves of the thread that opened the block are taken:
    another thread's saves belong to another transaction, and two blocks (two imports) keep apart.
    A history row simple-history still writes itself in the block (a deletion's) is stamped as well.
    """

    def __init__(self, stamp: Stamp | None = None):
        self._stamp = stamp or (lambda row: None)
        self._thread = threading.get_ident()
        self._kept: list = []
        self._marked: dict[int, object] = {}
        self._history_of: dict[type, type | None] = {}

    def mark(self) -> int:
        return len(self._kept)

    def drop_since(self, mark: int) -> None:
        """Forget the rows kept since ``mark`` (their saves were rolled back with a savepoint)."""
        del self._kept[mark:]

    def flush(self) -> None:
        """Write the rows kept so far, in the order they were built (a table's ids follow that order)."""
        by_model: dict[type, list] = {}
        for row in self._kept:
            by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            _insert_built(model, rows)
        self._kept.clear()

    def _history(self, model) -> type | None:
        if model not in self._history_of:
            try:
                self._history_of[model] = get_history_model_for_model(model)
            except NotHistoricalModelError:
                self._history_of[model] = None
        return self._history_of[model]

    def _ours(self, sender) -> bool:
        return threading.get_ident() == self._thread and self._history(sender) is not None

    def _before_save(self, sender, instance, **kwargs) -> None:
        if not self._ours(sender) or getattr(instance, "skip_history_when_saving", self) is not self:
            return  # another thread's save, or one its caller saves without history
        instance.skip_history_when_saving = self
        self._marked[id(instance)] = instance

    def _after_save(self, sender, instance, created, raw=False, **kwargs) -> None:
        if raw or not self._ours(sender) or getattr(instance, "skip_history_when_saving", None) is not self:
            return
        history = self._history(sender)
        row = history(
            history_date=getattr(instance, "_history_date", None) or timezone.now(),
            history_type="+" if created else "~",
            history_user=history.get_default_history_user(instance),
            history_change_reason=get_change_reason_from_object(instance),
            **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
        )
        self._stamp(row)
        self._kept.append(row)

    def _written_by_simple_history(self, sender, history_instance, **kwargs) -> None:
        if threading.get_ident() == self._thread:
            self._stamp(history_instance)

    def _unmark(self) -> None:
        for instance in self._marked.values():
            if getattr(instance, "skip_history_when_saving", None) is self:
                del instance.skip_history_when_saving
        self._marked.clear()


@contextmanager
def deferred_history(stamp: Stamp | None = None) -> Iterator[DeferredHistory]:
    """Keep the history row of every save in the block, stamped by ``stamp``; the caller flushes them (what
    it does not flush is lost). Nothing in the block may read the history it keeps."""
    deferred = DeferredHistory(stamp)
    uid = f"{__name__}.{next(_blocks)}"  # one connection per block: blocks never undo each other's
    receivers = [
        (pre_save, deferred._before_save),
        (post_save, deferred._after_save),
        (pre_create_historical_record, deferred._written_by_simple_history),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, weak=False, dispatch_uid=uid)
    try:
        yield deferred
    finally:
        for signal, _receiver in receivers:
            signal.disconnect(dispatch_uid=uid)
        deferred._unmark()


def _insert_built(model, objs: list) -> None:
    """Insert ``objs`` (rows of ``model`` built whole, ids left to the table) as they are; their ids are not
    read back."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    rows = ([field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] for obj in objs)
    with connection.cursor() as cursor:
        _copy(cursor, model._meta.db_table, [field.column for field in fields], rows)


def _value(field, obj, connection):
    return field.get_db_prep_save(field.pre_save(obj, add=True), connection)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quote = cursor.db.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _plain_history(history) -> bool:
    """Whether the history model holds only the tracked fields and simple-history's own (no extra fields a
    signal would fill): then its rows can be written directly."""
    own = {field.name for field in history._meta.concrete_fields if not field.primary_key}
    tracked = {field.attname for field in history.tracked_fields} | {field.name for field in history.tracked_fields}
    return own - tracked <= HISTORY_FIELDS


__all__ = ["DeferredHistory", "deferred_history", "insert_with_history", "record_history", "update_with_history"]
