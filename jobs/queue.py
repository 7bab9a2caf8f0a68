"""What the task queue holds for the jobs, read from the configured backend.

A job's tasks (``jobs.tasks.job_task``) take the job's id as their first argument: the queue's entries
of a job are found by it, waiting (in the order the workers take them) or running (since when).
The database backend's queue is its table (django-tasks-db): a task whose worker died stays running
there until ``release`` marks it failed. RQ's is a list in Redis, and RQ itself fails a task whose
worker stopped beating (its workers clean their registry of started tasks); it is read here as it stands.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Case, F, Min, When
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone

#: The module paths of the tasks done for a job (``jobs.tasks.job_task``).
JOB_TASKS: set[str] = set()


class WorkerLost(Exception):
    """The worker running a task stopped without a word (killed, its machine lost)."""


@dataclass(frozen=True)
class Entry:
    job_id: int
    running: bool
    started_at: datetime | None


def entries() -> list[Entry]:
    """The job tasks in the queue: those waiting in the order the workers take them, then those running."""
    if _in_table():
        return _table_entries()
    return _redis_entries()


def oldest_waiting() -> datetime | None:
    """When the task that has waited longest for a worker became due (any task of the backend, a job's or
    another's): the age of the queue's head. None when nothing waits."""
    if _in_table():
        return _table_oldest()
    return _redis_oldest()


def release(job_id: int) -> None:
    """Mark failed the tasks of ``job_id`` the queue still has running (their worker died)."""
    if not _in_table():
        return
    running = _table_rows().running().filter(args_kwargs__args__0=job_id)
    for row in running.select_for_update(skip_locked=True):
        row.set_failed(WorkerLost(f"The worker of job {job_id} stopped; the job was taken up again."))


def _backend():
    """The backend the jobs' tasks go to (they are declared without naming one)."""
    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def _in_table() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(_backend(), DatabaseBackend)


def _table_rows():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(backend_name=_backend().alias, task_path__in=JOB_TASKS)


def _table_entries() -> list[Entry]:
    from django_tasks_db.compat import TaskResultStatus

    rows = _table_rows().filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    found = [
        Entry(args_kwargs["args"][0], status == TaskResultStatus.RUNNING, started_at)
        for status, started_at, args_kwargs in rows.values_list("status", "started_at", "args_kwargs")
    ]
    return sorted(found, key=lambda entry: entry.running)  # stable: the waiting keep the queue's order


def _table_oldest() -> datetime | None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A task given no time to run after is stored with the latest date: due since it was enqueued.
    due = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    ready = DBTaskResult.objects.filter(backend_name=_backend().alias).ready()
    return ready.aggregate(oldest=Min(due))["oldest"]


def _redis_oldest() -> datetime | None:
    import django_rq
    from rq.job import Job as QueuedTask

    found = []
    for name in _backend().queues:
        queue = django_rq.get_queue(name)
        head = queue.get_job_ids(0, 1)  # the list's head waited longest
        for task in QueuedTask.fetch_many(head, connection=queue.connection):
            if task is not None and task.enqueued_at is not None:
                found.append(_aware(task.enqueued_at))
    return min(found, default=None)


def _redis_entries() -> list[Entry]:
    import django_rq
    from rq.job import Job as QueuedTask
    from rq.registry import StartedJobRegistry

    found = []
    for name in sorted(_backend().queues):
        queue = django_rq.get_queue(name)
        waiting, running = queue.get_job_ids(), StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
        for task in QueuedTask.fetch_many([*waiting, *running], connection=queue.connection):
            if task is not None and task.func_name in JOB_TASKS and task.args:
                found.append(Entry(task.args[0], task.id in running, _aware(task.started_at)))
    return sorted(found, key=lambda entry: entry.running)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and timezone.is_naive(moment) else moment
