"""How a task done for a job is declared (``job_task``): it takes the job's id first, and the job's row says
the rest. The task that runs a job is ``jobs.services.run_job``; other apps declare theirs with ``job_task``."""

from functools import wraps

from django.tasks import task

from . import heartbeat
from .queue import JOB_TASKS


def job_task(function):
    """``@task`` for a task done for a job (its first argument): while it runs, its worker beats for the
    job (``jobs.heartbeat``), and the queue's entries of the job are found by that argument (``jobs.queue``)."""

    @wraps(function)
    def beating(job_id: int, *args, **kwargs):
        with heartbeat.beating(job_id):
            return function(job_id, *args, **kwargs)

    declared = task(beating)
    JOB_TASKS.add(declared.module_path)
    return declared
