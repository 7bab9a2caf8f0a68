"""Workers for the tests: the database backend's own worker run in this process, or real worker processes.

``work_off`` does in the test's transaction what a worker would do after a commit: the on-commit
callbacks run (the tasks are enqueued in the database backend's table) and django-tasks-db's worker
runs every ready task, again until nothing more is enqueued (a job enqueues its batches).
``start_worker`` starts the worker command of the configured backend as a process of its own, for
the tests that need committed rows, several workers or a worker killed halfway.
"""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
WORKER_ID = "tests"


def next_task():
    """The database backend's ready task its worker takes next: the highest priority, then the longest queued."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().first()  # the model's order is the worker's


def claim(row):
    """Claim ``row`` for this process, as a worker does as it takes it (it no longer counts as ready)."""
    row.claim(WORKER_ID)
    return row


def run_task(row) -> None:
    """Run a claimed task as the database backend's worker does (and record its outcome)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )
    worker.run_task(row)


def run_ready_tasks() -> int:
    """Run every ready task of the database backend here, in its worker's order (claim, run, record)."""
    ran = 0
    while (row := next_task()) is not None:
        run_task(claim(row))
        ran += 1
    return ran


@contextmanager
def work_off(capture):
    """Around an action: once it is done, its on-commit callbacks run and the tasks they enqueue are worked off."""
    with capture(execute=True):
        yield
    while True:
        with capture(execute=True) as callbacks:
            ran = run_ready_tasks()
        if not ran and not callbacks:
            return


def worker_env(**extra) -> dict[str, str]:
    """The environment of a worker process on the test database (its name, not the configured one)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings_test", **extra}
    return env


def worker_command(*, burst: bool) -> list[str]:
    command = [sys.executable, "manage.py", "run_worker"]
    return [*command, "--burst"] if burst else command


def start_worker(*, burst: bool = False, **env) -> subprocess.Popen:
    """A worker process of the configured backend (``TASKS_BACKEND``), in its own process group."""
    return subprocess.Popen(
        worker_command(burst=burst),
        cwd=ROOT,
        env=worker_env(TASKS_BACKEND=settings.TASKS_BACKEND, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_worker(worker: subprocess.Popen) -> None:
    """Kill a worker without a word, as a machine lost would: its process group and every process it forked
    (an RQ work horse puts itself in a group of its own)."""
    forked = _descendants(worker.pid)
    os.killpg(worker.pid, signal.SIGKILL)
    for pid in forked:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.wait()


def _descendants(pid: int) -> list[int]:
    children = []
    for thread in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(FileNotFoundError):  # the thread ended meanwhile
            children.extend(int(child) for child in (thread / "children").read_text().split())
    return [grandchild for child in children for grandchild in [child, *_descendants(child)]]
