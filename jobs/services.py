"""Starting, following and finishing jobs; every move between states under the job's row lock.

A job is started inside the caller's transaction and enqueued once it commits, so a worker never
meets a job whose work was rolled back. Each kind has a handler (``jobs.kinds``, declared by its app) that does the
work from the job's arguments, idempotently: run twice, it leaves the same result, so a retry, or
the next worker taking up a job whose worker died, simply runs it again.

A handler returns the job's result (a short report, optionally a link), or ``FOLLOWS`` when it
handed the work on to further tasks that report progress and finish the job (``advance``).

A worker beats for the job it works on (``jobs.heartbeat``). A job without a sign of life for
``JOBS_STALLED_AFTER_SECONDS`` and without a task in the queue has lost its worker: the workers look
for such jobs as they start and every few seconds after (``resume_stalled``), and queue them again.
"""

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.moves import lock, lock_for_move, move_locked, save_audited
from backoffice.signals import send_on_commit

from . import queue, signals
from .aside import write_aside
from .kinds import JobKind, kind_of
from .models import Job, JobState
from .tasks import job_task


@dataclass(frozen=True)
class Outcome:
    text: str
    url: str = ""


#: A handler's answer when further tasks finish the job.
FOLLOWS = None

Handler = Callable[[Job], Outcome | None]


def start(kind: JobKind, *, by=None, description: str, arguments: dict, total: int | None = None) -> Job:
    """Record a queued job and enqueue it when the current transaction commits."""
    job = Job(
        kind=kind.name,
        description=description,
        arguments=arguments,
        total=total,
        started_by=by,
        language=translation.get_language() or "",
    )
    save_audited(job, by=by, reason=_("Job queued"))
    enqueue_on_commit(job)
    return job


def enqueue_on_commit(job: Job) -> None:
    transaction.on_commit(lambda: run_job.enqueue(job.pk))


def run(job_id: int) -> None:
    """Do the work of a job (the task ``run_job``): mark it running, call its handler, record the outcome.

    A task queued twice finds the job done, or running: left to its worker while it shows life, taken
    over once silent (``backoffice.moves.lock_for_move``, as the outbox does with a message being sent)."""
    with transaction.atomic():
        job = lock_for_move(Job(pk=job_id), JobState.RUNNING, live=lambda row: not is_silent(row))
        if job is None:
            return
        now = timezone.now()
        _move(
            job,
            JobState.RUNNING,
            reason=_("Job started (attempt %(n)d)") % {"n": job.attempts + 1},
            error="",
            attempts=job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
        )
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            outcome = kind_of(job.kind).handler(job)
    except Exception as exc:
        fail(job_id, exc)
        raise
    if outcome is not FOLLOWS:
        finish(job_id, outcome)


@job_task
def run_job(job_id: int) -> None:
    """The task that does a job's work on a worker (``run``), declared beside it so that starting a job
    enqueues it without the tasks module importing this one back."""
    run(job_id)


def advance(job_id: int, done: int, total: int | None = None) -> None:
    """Record progress (no history: it changes at every step); from inside the work's own transaction,
    written aside where the database allows (``jobs.aside``), so that it shows before the commit.

    What is done outside a transaction is committed; what is done inside the work's open transaction is
    not, until that transaction commits (a crash rolls it back): ``committed`` stays where it was."""
    changes = {"done": done, "heartbeat_at": timezone.now()}
    if total is not None:
        changes["total"] = total
    if not transaction.get_connection().in_atomic_block:
        changes["committed"] = done
    if not write_aside(job_id, changes):
        Job.objects.filter(pk=job_id).update(**changes)


def finish(job_id: int, outcome: Outcome) -> None:
    with transaction.atomic():
        job = lock_for_move(Job(pk=job_id), JobState.DONE)
        if job is None:
            return
        done = job.done if job.total is None else job.total
        now = timezone.now()
        _move(
            job,
            JobState.DONE,
            reason=_("Job done"),
            result=outcome.text,
            result_url=outcome.url,
            error="",
            done=done,
            committed=done,
            finished_at=now,
            heartbeat_at=now,
        )
        send_on_commit(signals.finished, job)


def fail(job_id: int, exc: BaseException) -> None:
    """Record why the job stopped; its work stays as far as it got, and a retry takes it up from there."""
    with transaction.atomic():
        job = lock_for_move(Job(pk=job_id), JobState.FAILED)
        if job is None:
            return
        _move(
            job,
            JobState.FAILED,
            reason=_("Job failed"),
            finished_at=timezone.now(),
            error=_error_text(exc)[:4000],
        )
        send_on_commit(signals.finished, job)


def retry(job: Job, *, by) -> Job:
    """Queue a failed job again (the caller's transaction; enqueued on commit)."""
    row = lock(job)
    if row.state != JobState.FAILED:
        raise ValidationError(
            _("Only a failed job is retried; this one is %(state)s.") % {"state": row.get_state_display()}
        )
    move_locked(
        row, JobState.QUEUED, by=by, reason=_("Job retried"), error="", finished_at=None, heartbeat_at=timezone.now()
    )
    enqueue_on_commit(row)
    return row


def stalled_after() -> timedelta:
    return timedelta(seconds=settings.JOBS_STALLED_AFTER_SECONDS)


def last_sign_of_life(job: Job) -> datetime:
    """When a worker last worked for the job (its heartbeat, its progress), or else when it was queued."""
    return job.heartbeat_at or job.created_at


def is_silent(job: Job) -> bool:
    """Unfinished, and no sign of life for ``JOBS_STALLED_AFTER_SECONDS``: no worker is on it, whether it
    waits in the queue behind others (``queue``) or its worker died."""
    return not job.is_finished and last_sign_of_life(job) <= timezone.now() - stalled_after()


def silent_since(limit: datetime) -> Q:
    """No sign of life since ``limit``: no heartbeat or progress since, or none ever and queued before it."""
    return Q(heartbeat_at__lte=limit) | Q(heartbeat_at__isnull=True, created_at__lte=limit)


def in_hand(limit: datetime) -> set[int]:
    """The jobs the queue holds a task for: one waiting, or one a worker took after ``limit`` (it may not have
    beaten yet)."""
    return {
        entry.job_id
        for entry in queue.entries()
        if not entry.running or (entry.started_at is not None and entry.started_at > limit)
    }


def resume_stalled(*, older_than: timedelta | None = None) -> list[Job]:
    """Queue again every unfinished job silent for ``older_than`` whose tasks are all gone from the queue:
    its worker died (or its task was lost). Its queue entries left running are marked failed, and its
    progress falls back to what was committed: the next attempt does the rest.

    A job whose task waits in the queue, or was taken by a worker a moment ago, is left alone."""
    limit = timezone.now() - (older_than if older_than is not None else stalled_after())
    with transaction.atomic():
        jobs = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(state__in=(JobState.QUEUED, JobState.RUNNING))
            .filter(silent_since(limit))
        )
        if not jobs:
            return []
        held = in_hand(limit)
        resumed = [job for job in jobs if job.pk not in held]
        for job in resumed:
            queue.release(job.pk)
            _take_up_again(job)
            enqueue_on_commit(job)
    return resumed


def _take_up_again(job: Job) -> None:
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if job.state == JobState.RUNNING:
            since = timezone.localtime(last_sign_of_life(job))
            note = _("Attempt %(attempt)d stopped: no sign of life from its worker since %(time)s.") % {
                "attempt": job.attempts,
                "time": f"{since:%Y-%m-%d %H:%M:%S}",
            }
        else:
            note = _("Its task was no longer in the queue.")
        if job.done > job.committed:
            kept = _("%(committed)s of the %(done)s done were committed; the rest is done again.") % {
                "committed": f"{job.committed:,}",
                "done": f"{job.done:,}",
            }
            note = f"{note} {kept}"
        _move(
            job,
            JobState.QUEUED,
            reason=_("Taken up again: its worker stopped"),
            done=job.committed,
            error=note,
            heartbeat_at=timezone.now(),
        )


def _error_text(exc: BaseException) -> str:
    """A refusal in its own words (it names the article); anything else as Python tells it."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return "".join(traceback.format_exception_only(exc)).strip()


def _move(job: Job, to: str, **changes) -> Job:
    """Move ``job`` (locked) in the name of whoever started it."""
    return move_locked(job, to, by=job.started_by, **changes)
