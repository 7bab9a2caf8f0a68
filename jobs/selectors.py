"""What the operations' health checks and metrics read of the jobs and the task queue, in a fixed number of
queries whatever the number of rows."""

from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from . import queue, services
from .models import Job, JobState


def unfinished_counts() -> dict[str, int]:
    """How many jobs wait (queued) and how many are being worked on (running)."""
    counts = dict.fromkeys((JobState.QUEUED, JobState.RUNNING), 0)
    rows = Job.objects.filter(state__in=counts).values_list("state").annotate(n=Count("pk")).order_by()
    return counts | dict(rows)


def stalled() -> list[Job]:
    """Running jobs whose worker died: silent for ``JOBS_STALLED_AFTER_SECONDS`` and without a task in the queue,
    as the jobs page calls them stalled. The workers take such a job up again within a third of that
    (``services.resume_stalled``): one that stays stalled says no worker is running."""
    limit = timezone.now() - services.stalled_after()
    silent = list(Job.objects.filter(services.silent_since(limit), state=JobState.RUNNING).order_by("pk"))
    held = services.in_hand(limit)
    return [job for job in silent if job.pk not in held]


def oldest_waiting_task() -> datetime | None:
    """Since when the task that has waited longest for a worker (a job's or any other) has been due."""
    return queue.oldest_waiting()
