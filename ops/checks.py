"""The health checks ``/health/`` runs (django-health-check 4: each a dataclass whose ``run`` raises to say
what is wrong): the database, the cache when it is Redis (``REDIS_URL``), the default storage (a file
written, read and deleted), and two of our own, the task queue and the outbox.

Our own checks read the database through the ORM in the request's thread (``sync_to_async``): the view is
asynchronous, and a thread of the executor would open a connection of its own and keep it.
"""

import dataclasses

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import OperationalError
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from health_check import Cache, Database, HealthCheck, Storage
from health_check.exceptions import ServiceUnavailable

from backoffice.statement_limits import limited
from jobs import selectors as jobs
from outbox.waiting import waiting


class Probe(HealthCheck):
    """A check whose ``probe`` reads the database, run in the request's thread, in a transaction whose
    statements stop after ``HEALTH_STATEMENT_TIMEOUT_MS``: a database too slow to answer is reported, not
    waited for by the monitoring's scrape."""

    async def run(self):
        await sync_to_async(self.probe_in_time)()

    def probe_in_time(self) -> None:
        try:
            with limited(settings.HEALTH_STATEMENT_TIMEOUT_MS):
                self.probe()
        except OperationalError as error:  # QueryCanceled, or the connection lost
            raise ServiceUnavailable(
                _("The database did not answer within %(limit)d ms.") % {"limit": settings.HEALTH_STATEMENT_TIMEOUT_MS}
            ) from error

    def probe(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class TaskQueue(Probe):
    """Unhealthy when the oldest waiting task has waited over ``HEALTH_QUEUE_MAX_AGE_SECONDS`` (no worker runs,
    or they are far behind), or when a running job is stalled: no sign of life for
    ``JOBS_STALLED_AFTER_SECONDS`` and no task of it in the queue (its worker died and none took it up)."""

    def probe(self) -> None:
        problems = []
        oldest = jobs.oldest_waiting_task()
        limit = settings.HEALTH_QUEUE_MAX_AGE_SECONDS
        if oldest is not None and (waited := (timezone.now() - oldest).total_seconds()) > limit:
            problems.append(
                _("The oldest task has waited %(waited)d s for a worker (limit %(limit)d s).")
                % {"waited": waited, "limit": limit}
            )
        if stalled := jobs.stalled():
            problems.append(
                ngettext(
                    "%(count)d running job is stalled (%(jobs)s): no sign of life for over %(limit)d s.",
                    "%(count)d running jobs are stalled (%(jobs)s): no sign of life for over %(limit)d s.",
                    len(stalled),
                )
                % {
                    "count": len(stalled),
                    "jobs": ", ".join(f"#{job.pk}" for job in stalled[:10]),
                    "limit": settings.JOBS_STALLED_AFTER_SECONDS,
                }
            )
        if problems:
            raise ServiceUnavailable(" ".join(problems))


@dataclasses.dataclass
class Outbox(Probe):
    """Unhealthy when a message still to send (queued, failed with tries left, or claimed by a process that
    died) was queued over ``HEALTH_OUTBOX_MAX_AGE_SECONDS`` ago: the mail server or a webhook's receiver keeps
    refusing, or nothing sends."""

    def probe(self) -> None:
        found = waiting().order_by().aggregate(count=Count("pk"), oldest=Min("created_at"))
        limit = settings.HEALTH_OUTBOX_MAX_AGE_SECONDS
        if found["oldest"] is not None and (age := (timezone.now() - found["oldest"]).total_seconds()) > limit:
            raise ServiceUnavailable(
                ngettext(
                    "%(count)d message not sent, queued %(age)d s ago (limit %(limit)d s).",
                    "%(count)d messages not sent, the oldest queued %(age)d s ago (limit %(limit)d s).",
                    found["count"],
                )
                % {"count": found["count"], "age": age, "limit": limit}
            )


def enabled() -> list[type[HealthCheck]]:
    """The checks, in the order the page lists them; the cache only when it is Redis, shared by every node."""
    return [Database, *([Cache] if settings.REDIS_URL else []), Storage, TaskQueue, Outbox]
