"""Progress written beside the work's own transaction, so that it shows before that transaction commits.

An import or a billing run is one transaction. Progress written inside it would show only at its
commit, all at once. On PostgreSQL such progress is written on a connection of its own, in autocommit;
it skips the job's row rather than wait for it, and when the row is held or not yet committed, the
caller writes in its transaction as before. SQLite has one writer at a time: there the progress waits
for the commit. Each write aside opens its connection, so a job's progress is written aside at most
once a second.

The worker's heartbeat (``jobs.heartbeat``) is written the same way from its own thread; within a
process the two take turns (``_turn``), so neither finds the row held by the other and skips it.
"""

import threading
import time

from django.db import connections, router

from .models import Job

INTERVAL = 1.0  # seconds

_last = threading.local()  # (job id, time.monotonic()) of the last write aside
_turn = threading.Lock()


def write_aside(job_id: int, changes: dict) -> bool:
    """Write ``changes`` to the job's row on a second connection if the caller is inside a transaction on
    PostgreSQL; whether it was (or was less than a second ago)."""
    connection = connections[router.db_for_write(Job)]
    if not connection.in_atomic_block or connection.vendor != "postgresql":
        return False
    now = time.monotonic()
    job, then = getattr(_last, "write", (None, 0.0))
    if job == job_id and now - then < INTERVAL:
        return True
    side = connection.copy()
    try:
        if not write_unless_held(side, job_id, changes):
            return False
    finally:
        side.close()
    _last.write = (job_id, now)
    return True


def write_unless_held(connection, job_id: int, changes: dict) -> bool:
    """Write ``changes`` to the job's row on ``connection`` (in autocommit) unless another transaction
    holds the row (PostgreSQL: ``SKIP LOCKED``; SQLite waits for its one writer); whether it was written."""
    quote = connection.ops.quote_name
    table, pk = quote(Job._meta.db_table), quote(Job._meta.pk.column)
    fields = [Job._meta.get_field(name) for name in changes]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    values = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    row = f"(SELECT {pk} FROM {table} WHERE {pk} = %s FOR UPDATE SKIP LOCKED)"
    where = row if connection.vendor == "postgresql" else "%s"
    with _turn, connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = {where}", [*values, job_id])
        return cursor.rowcount == 1
