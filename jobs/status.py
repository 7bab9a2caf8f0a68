"""Where a job stands, in staff's words: waiting behind other jobs (and how many), running, silent since
when, done or failed. A page reads the queue once (``Queue``), whatever the number of jobs it shows."""

from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import queue, services
from .models import Job, JobState


class Queue:
    """The task queue as a page reads it: read at the first question, once."""

    @cached_property
    def entries(self) -> list[queue.Entry]:
        return queue.entries()

    @cached_property
    def worked_on(self) -> set[int]:
        """The jobs a living worker works on now (a dead worker's entry looks running a while longer)."""
        running = {entry.job_id for entry in self.entries if entry.running}
        beating = Job.objects.filter(pk__in=running, heartbeat_at__gt=timezone.now() - services.stalled_after())
        return set(beating.values_list("pk", flat=True))

    def jobs_ahead(self, job: Job) -> int | None:
        """How many other jobs the workers take before ``job``'s first waiting task: those whose tasks wait
        before it, and those being worked on now. None when no task of ``job`` waits."""
        waiting = [entry for entry in self.entries if not entry.running]
        place = next((index for index, entry in enumerate(waiting) if entry.job_id == job.pk), None)
        if place is None:
            return None
        return len(({entry.job_id for entry in waiting[:place]} | self.worked_on) - {job.pk})


def status(job: Job, tasks: Queue) -> str:
    """``job``'s state, with what it waits for."""
    if job.is_finished:
        return job.get_state_display()
    ahead = tasks.jobs_ahead(job)
    if ahead is None:
        if services.is_silent(job):
            return _("Stalled: no sign of life from its worker since %(time)s; the workers take it up again") % {
                "time": _since(job)
            }
        return job.get_state_display()
    if ahead:
        waits = ngettext("%(count)d job ahead of it", "%(count)d jobs ahead of it", ahead) % {"count": ahead}
    elif services.is_silent(job):
        waits = _("no worker has taken it since %(time)s: are the workers running?") % {"time": _since(job)}
    else:
        waits = _("next for a free worker")
    if job.state == JobState.RUNNING:
        return _("Running; its remaining tasks wait in the queue: %(waits)s") % {"waits": waits}
    return _("Queued: %(waits)s") % {"waits": waits}


def _since(job: Job) -> str:
    return date_format(timezone.localtime(services.last_sign_of_life(job)), "DATETIME_FORMAT")
