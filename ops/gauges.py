"""Gauges read from the database at each scrape, so that every process answers the same: the jobs waiting
and stalled, the task queue's oldest task, the outbox's backlog, the failure notices due. A fixed number of
queries whatever the number of rows."""

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily

from backoffice.statement_limits import limited
from jobs import selectors as jobs
from outbox.choices import Channel, MessageState
from outbox.models import Message
from outbox.waiting import waiting
from sla.credits import NOTIFICATION_LIMIT
from sla.models import FailureNotification, OutageOrigin

UNSENT = (MessageState.QUEUED, MessageState.SENDING, MessageState.FAILED)


class DatabaseGauges:
    """A collector (prometheus_client's ``collect`` protocol), registered without ``describe`` so that nothing is
    read until a scrape."""

    def collect(self):
        """Read every gauge in one transaction whose statements stop after ``HEALTH_STATEMENT_TIMEOUT_MS``: a slow
        database fails the scrape (the monitoring sees it down) instead of holding it."""
        now = timezone.now()
        with limited(settings.HEALTH_STATEMENT_TIMEOUT_MS):
            families = [*self._jobs(now), *self._outbox(now), *self._notices(now)]
        yield from families

    def _jobs(self, now):
        depth = GaugeMetricFamily(
            "backoffice_job_queue_depth", "Background jobs not finished, by state.", labels=["state"]
        )
        for state, count in jobs.unfinished_counts().items():
            depth.add_metric([state], count)
        yield depth
        yield GaugeMetricFamily(
            "backoffice_jobs_stalled",
            "Running jobs without a sign of life from a worker for JOBS_STALLED_AFTER_SECONDS and no task queued.",
            value=len(jobs.stalled()),
        )
        yield GaugeMetricFamily(
            "backoffice_task_queue_oldest_age_seconds",
            "How long the task that has waited longest for a worker has waited (0: none waits).",
            value=_age(now, jobs.oldest_waiting_task()),
        )

    def _outbox(self, now):
        counts = dict.fromkeys(((channel, state) for channel in Channel.values for state in UNSENT), 0)
        rows = Message.objects.filter(state__in=UNSENT).values_list("channel", "state").annotate(n=Count("pk"))
        counts |= {(channel, state): n for channel, state, n in rows.order_by()}
        backlog = GaugeMetricFamily(
            "backoffice_outbox_backlog",
            "E-mails and webhooks not sent, by channel and state.",
            labels=["channel", "state"],
        )
        for (channel, state), count in counts.items():
            backlog.add_metric([channel, state], count)
        yield backlog
        oldest = waiting().order_by().aggregate(oldest=Min("created_at"))["oldest"]
        yield GaugeMetricFamily(
            "backoffice_outbox_oldest_unsent_age_seconds",
            "Age of the oldest message still to send (queued, failed with tries left, or its sender dead; 0: none).",
            value=_age(now, oldest),
        )

    def _notices(self, now):
        found = {origin: (0, 0, None) for origin in OutageOrigin.values}
        rows = (
            FailureNotification.objects.filter(notified_at__isnull=True)
            .values_list("outage__origin")
            .annotate(
                due=Count("pk"),
                late=Count("pk", filter=Q(detected_at__lte=now - NOTIFICATION_LIMIT)),
                oldest=Min("detected_at"),
            )
            .order_by()
        )
        found |= {origin: (due, late, oldest) for origin, due, late, oldest in rows}
        due = GaugeMetricFamily(
            "backoffice_failure_notices_due",
            "Failure notices not yet given (notified_at empty), by the origin of their outage.",
            labels=["origin"],
        )
        late = GaugeMetricFamily(
            "backoffice_failure_notices_late",
            "Of the failure notices not yet given, those detected over 30 minutes ago (annex 1, 2).",
            labels=["origin"],
        )
        oldest = GaugeMetricFamily(
            "backoffice_failure_notices_oldest_due_age_seconds",
            "Time since the detection of the oldest failure notice not yet given (0: none).",
            labels=["origin"],
        )
        for origin, (count, past_limit, first) in found.items():
            due.add_metric([origin], count)
            late.add_metric([origin], past_limit)
            oldest.add_metric([origin], _age(now, first))
        yield from (due, late, oldest)


def _age(now, moment) -> float:
    return max((now - moment).total_seconds(), 0.0) if moment is not None else 0.0


def registry() -> CollectorRegistry:
    gauges = CollectorRegistry()
    gauges.register(DatabaseGauges())
    return gauges
