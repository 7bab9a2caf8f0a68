"""A worker's sign of life for the job it works on, every few seconds whatever the work does meanwhile.

Progress comes when the work reports it: once a batch of 50 documents is rendered, every 200 rows of an
import, perhaps minutes apart on a loaded machine. The heartbeat does not wait for it: while a task of
a job runs (``jobs.tasks.job_task``), a thread of the worker's process writes the job's ``heartbeat_at``
every ``interval()`` seconds, beside the work's transaction (``jobs.aside``). A job whose heartbeat is
older than ``JOBS_STALLED_AFTER_SECONDS`` has no living worker, and the workers take it up again
(``jobs.services.resume_stalled``).

Only worker processes beat (``run_worker`` calls ``enable``): a command or a test that runs a task in
its own process has nobody to hand the job to, and its transaction is the test's.
"""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.utils import timezone

from .aside import write_unless_held
from .models import Job

logger = logging.getLogger(__name__)

_enabled = False


def enable() -> None:
    """Beat for the jobs this process works on (the worker command, before it starts working)."""
    global _enabled
    _enabled = True


def interval() -> float:
    """Seconds between two beats: a sixth of the stalled limit, so a few beats lost never look like a death."""
    return max(settings.JOBS_STALLED_AFTER_SECONDS / 6, 0.5)


@contextmanager
def beating(job_id: int):
    """Beat for job ``job_id`` while the block runs (in a worker process)."""
    if not _enabled:
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=_beat, args=(job_id, stop), name=f"heartbeat of job {job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _beat(job_id: int, stop: threading.Event) -> None:
    connection = connections[router.db_for_write(Job)]  # this thread's own, in autocommit
    try:
        while not stop.wait(interval()):
            try:
                write_unless_held(connection, job_id, {"heartbeat_at": timezone.now()})
            except DatabaseError:
                logger.warning("The heartbeat of job %s was not written", job_id, exc_info=True)
                connection.close()
    finally:
        connection.close()
