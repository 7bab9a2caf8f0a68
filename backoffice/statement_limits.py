"""A limit on the statements of one transaction (PostgreSQL's ``SET LOCAL statement_timeout``): it ends with the
transaction, so it is safe behind a pooler in transaction mode, where a session setting would stay on a server
connection other clients are handed next. Elsewhere (SQLite) the block is only a transaction."""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

SET = "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)"


@contextmanager
def limited(milliseconds: int, using: str = DEFAULT_DB_ALIAS):
    """Run the block in a transaction (a savepoint inside another) whose statements stop after ``milliseconds``,
    raising ``OperationalError``. Inside another transaction the outer limit is back once the block ends: a
    rolled-back savepoint restores it by itself, a released one is given it again."""
    connection = connections[using]
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(SET, [str(milliseconds)])
            outer = cursor.fetchone()[0]
        yield
        if nested:
            with connection.cursor() as cursor:
                cursor.execute(SET, [outer])
