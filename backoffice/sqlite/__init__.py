"""SQLite as the project runs it (the demo, the default tests): Django's backend, but for ``flush``, which
empties the tables with the triggers off, as PostgreSQL's TRUNCATE fires no row trigger."""

import sqlite3
from contextlib import contextmanager


@contextmanager
def triggers_off(connection):
    """No trigger fires on ``connection`` (Django's, SQLite) in the block: only for what the database's owner
    does behind every guard (emptying it, a test's tampering)."""
    connection.ensure_connection()
    raw = connection.connection
    raw.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_TRIGGER, False)
    try:
        yield
    finally:
        raw.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_TRIGGER, True)
