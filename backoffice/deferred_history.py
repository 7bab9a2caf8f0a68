"""History rows kept back and written together, for a caller that saves thousands of rows in one transaction.

simple-history writes one row of history per save, one ``INSERT`` each: in a contract import that is
two queries in five. Under ``deferred_history`` a history row is built and stamped as usual (the
pre-create signal still runs, so its date, user and reason are those of the moment of the save) but
kept; ``flush`` writes what was kept in one statement per history table (``COPY`` on PostgreSQL).

The caller guarantees that nothing reads those history tables before the flush, and drops what a
savepoint rolled back (``mark`` before it, ``drop_since`` after).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from simple_history.signals import pre_create_historical_record

from .bulk_copy import insert_built


class DeferredHistory:
    def __init__(self):
        self._kept: list = []
        self._thread = threading.get_ident()

    def keep(self, sender, history_instance, **kwargs) -> None:
        if threading.get_ident() != self._thread:
            return  # another thread's save, outside the caller's transaction
        # simple-history saves the row it built right after this signal: the save becomes keeping it.
        history_instance.save = lambda *args, **kwargs: self._kept.append(history_instance)

    def mark(self) -> int:
        return len(self._kept)

    def drop_since(self, mark: int) -> None:
        del self._kept[mark:]

    def flush(self) -> None:
        """Write the rows kept so far, in the order they were built (a table's ids follow that order)."""
        by_model: dict[type, list] = {}
        for row in self._kept:
            by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            insert_built(model, rows)
        self._kept.clear()


@contextmanager
def deferred_history() -> Iterator[DeferredHistory]:
    """Keep every history row built in the block; the caller flushes them (what it does not flush is lost)."""
    deferred = DeferredHistory()
    uid = f"backoffice.deferred_history.{id(deferred)}"
    pre_create_historical_record.connect(deferred.keep, weak=False, dispatch_uid=uid)
    try:
        yield deferred
    finally:
        pre_create_historical_record.disconnect(dispatch_uid=uid)
