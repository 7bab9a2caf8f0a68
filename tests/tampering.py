"""Writing behind every guard, as only the database's owner can: the triggers off for the block."""

from contextlib import contextmanager

from django.db import connection

from backoffice.sqlite import triggers_off


@contextmanager
def behind_every_guard():
    """A cursor whose writes no trigger refuses (PostgreSQL: replica mode for the transaction; SQLite: off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            with triggers_off(connection):
                yield cursor
            return
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        cursor.execute("SET LOCAL session_replication_role = origin")
