"""/metrics: the requests' latency by view, method and status class; the jobs' durations as they finish; and,
read from the database at each scrape, the jobs waiting and stalled, the task queue's oldest task, the outbox's
backlog and the failure notices due, in the same number of queries whatever the number of rows."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from contracts.importer.job import CONTRACT_IMPORT
from jobs import services
from jobs.models import JobState
from outbox.choices import Channel, MessageState
from sla.models import OutageOrigin

from .builders import LONG_AGO, ago, job, message, notice

pytestmark = pytest.mark.django_db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def scrape(client) -> dict:
    """``{(name, ((label, value), …)): value}`` of every sample /metrics gives."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_timed_by_view_method_and_status_class(client, staff):
    latency = "backoffice_http_request_duration_seconds_count"
    before = scrape(client)
    client.force_login(staff)
    for _ in range(3):
        assert client.get("/admin/").status_code == 200
    assert client.get("/no-such-page").status_code == 404
    after = scrape(client)

    def added(view, status):
        return value(after, latency, view=view, method="GET", status=status) - value(
            before, latency, view=view, method="GET", status=status
        )

    assert added("admin:index", "2xx") == 3
    assert added("unresolved", "4xx") == 1
    assert added("ops:metrics", "2xx") == 1  # the first scrape
    bucket = value(
        after,
        "backoffice_http_request_duration_seconds_bucket",
        view="admin:index",
        method="GET",
        status="2xx",
        le="+Inf",
    )
    assert bucket == value(after, latency, view="admin:index", method="GET", status="2xx")


def test_a_job_is_timed_when_it_finishes_by_kind_and_state(client, django_capture_on_commit_callbacks):
    labels = {"kind": CONTRACT_IMPORT.name, "state": JobState.DONE}
    before = scrape(client)
    row = job(JobState.RUNNING, started_at=ago(timedelta(seconds=90)))
    with django_capture_on_commit_callbacks(execute=True):
        services.finish(row.pk, services.Outcome("imported"))
    after = scrape(client)
    assert (
        value(after, "backoffice_job_duration_seconds_count", **labels)
        - value(before, "backoffice_job_duration_seconds_count", **labels)
        == 1
    )
    took = value(after, "backoffice_job_duration_seconds_sum", **labels) - value(
        before, "backoffice_job_duration_seconds_sum", **labels
    )
    assert 90 <= took < 100
    le_60 = dict(kind=CONTRACT_IMPORT.name, state=JobState.DONE, le="60.0")
    le_120 = dict(le_60, le="120.0")
    bucket = "backoffice_job_duration_seconds_bucket"
    assert value(after, bucket, **le_120) - value(before, bucket, **le_120) == 1
    assert value(after, bucket, **le_60) - value(before, bucket, **le_60) == 0


def test_the_jobs_waiting_and_stalled_and_the_queues_oldest_task(client):
    job()
    job(JobState.RUNNING, silent_for=timedelta(seconds=5))
    job(JobState.RUNNING, silent_for=LONG_AGO)
    job(JobState.DONE)
    samples = scrape(client)
    assert value(samples, "backoffice_job_queue_depth", state="queued") == 1
    assert value(samples, "backoffice_job_queue_depth", state="running") == 2
    assert value(samples, "backoffice_jobs_stalled") == 1
    assert ("backoffice_task_queue_oldest_age_seconds", ()) in samples


def test_the_outbox_backlog_by_channel_and_state(client):
    message(queued_ago=timedelta(minutes=20))
    message()
    message(channel=Channel.WEBHOOK, state=MessageState.FAILED, attempts=1, retry_at=timezone.now())
    message(state=MessageState.SENT, sent_at=timezone.now())
    samples = scrape(client)
    backlog = "backoffice_outbox_backlog"
    assert value(samples, backlog, channel="email", state="queued") == 2
    assert value(samples, backlog, channel="webhook", state="failed") == 1
    assert value(samples, backlog, channel="email", state="failed") == 0
    assert ("backoffice_outbox_backlog", (("channel", "email"), ("state", "sent"))) not in samples
    assert 1200 <= value(samples, "backoffice_outbox_oldest_unsent_age_seconds") < 1210


def test_the_failure_notices_due_and_those_past_30_minutes(client):
    notice(detected_ago=timedelta(minutes=40))
    notice(detected_ago=timedelta(minutes=5))
    notice(detected_ago=timedelta(minutes=50), notified=True)
    notice(detected_ago=timedelta(days=30), origin=OutageOrigin.STAFF)  # recorded by hand: never told
    samples = scrape(client)
    monitoring, staff = {"origin": "monitoring"}, {"origin": "staff"}
    assert value(samples, "backoffice_failure_notices_due", **monitoring) == 2
    assert value(samples, "backoffice_failure_notices_late", **monitoring) == 1
    assert 2400 <= value(samples, "backoffice_failure_notices_oldest_due_age_seconds", **monitoring) < 2410
    assert value(samples, "backoffice_failure_notices_due", **staff) == 1
    assert value(samples, "backoffice_failure_notices_late", **staff) == 1


def _rows(n: int) -> None:
    for i in range(n):
        job()
        job(JobState.RUNNING, silent_for=LONG_AGO)
        message(queued_ago=timedelta(minutes=i))
        message(channel=Channel.WEBHOOK, state=MessageState.FAILED, attempts=1, retry_at=timezone.now())
        notice(detected_ago=timedelta(minutes=i + 1))


def test_a_scrape_reads_the_same_number_of_queries_whatever_the_rows(client):
    def queries() -> int:
        """The scrape's reads, without its transaction's own statements (savepoint, statement limit)."""
        with CaptureQueriesContext(connection) as captured:
            scrape(client)
        own = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT current_setting('statement_timeout')")
        return len([query for query in captured if not query["sql"].startswith(own)])

    _rows(1)
    few = queries()
    _rows(20)
    assert queries() == few == 7


MULTIPROCESS = """
import sys
from ops import metrics
if sys.argv[1] == "observe":
    metrics.REQUEST_SECONDS.labels("admin:index", "GET", "2xx").observe(0.2)
else:
    sys.stdout.write(metrics.exposition().decode())
"""


def test_with_a_multiprocess_folder_every_process_figures_are_summed(tmp_path):
    """Two gunicorn workers each answer a request; whichever answers the scrape reports both."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", MULTIPROCESS, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout

    run("observe")
    run("observe")
    text = run("scrape")
    assert 'backoffice_http_request_duration_seconds_count{method="GET",status="2xx",view="admin:index"} 2.0' in text
