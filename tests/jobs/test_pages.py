"""A job's page as staff read it: it loads itself again until the job is finished, reads its arguments in
staff's words, says how many jobs wait ahead of it, and what a stalled import committed; an action that
starts a job says it started, not that it is done."""

from datetime import date as D
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from billing.background import BILLING_RUN
from billing.models import BillingMonth
from contracts.importer.job import CONTRACT_IMPORT
from jobs.models import Job, JobState
from jobs.services import run_job
from receivables.background import DUNNING, JOURNAL_EXPORT, SEND_OUTBOX
from tests.admin.conftest import changelist_url, messages_of, run_action
from tests.billing.helpers import in_service

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="5">'


@pytest.fixture
def staff_client(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


def job(state=JobState.QUEUED, kind=BILLING_RUN.name, arguments=None, **kw) -> Job:
    return Job.objects.create(kind=kind, description="a job", arguments=arguments or {}, state=state, **kw)


def page(client, row: Job) -> str:
    return client.get(reverse("admin:jobs_job_change", args=[row.pk])).content.decode()


ON_THE_TABLE = pytest.mark.skipif(settings.TASKS_BACKEND != "db", reason="fills the database backend's queue table")


@pytest.fixture(autouse=True)
def empty_queue():
    """RQ's queue lives in Redis (a database of the tests' own, ``REDIS_URL``): emptied first."""
    if settings.TASKS_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").flushdb()


def test_the_page_of_a_job_not_finished_loads_itself_again_and_a_finished_ones_does_not(staff_client):
    for state, refreshes in [(JobState.QUEUED, True), (JobState.RUNNING, True), (JobState.DONE, False)]:
        assert (REFRESH in page(staff_client, job(state))) is refreshes
    response = staff_client.get(reverse("admin:jobs_job_change", args=[job(JobState.FAILED).pk]))
    assert REFRESH not in response.content.decode() and "Content-Security-Policy" in response.headers


def test_arguments_read_in_staffs_words(staff_client, client):
    month = BillingMonth.objects.create(month=D(2026, 11, 1))
    run = job(arguments={"month": month.pk})
    export = job(kind=JOURNAL_EXPORT.name, arguments={"month": "2026-10", "format": "yayoi", "dry_run": False})
    dunning = job(kind=DUNNING.name, arguments={"day": "2026-11-30"})
    assert "month: November 2026" in page(staff_client, run) and '{"month"' not in page(staff_client, run)
    text = page(staff_client, export)
    assert "month: October 2026<br>format: Yayoi Kaikei import (journal)<br>dry run: no" in text
    assert "day: Nov. 30, 2026" in page(staff_client, dunning)
    sending = job(kind=SEND_OUTBOX.name, arguments={"topics": ["receivables.dunning"]})
    assert "topics: Dunning notices" in page(staff_client, sending)  # receivables' reader names its topics
    every = job(kind=SEND_OUTBOX.name, arguments={"topics": None})
    assert "topics: every topic its starter reads" in page(staff_client, every)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert "月: 2026年11月" in page(client, run)
    assert "日: 2026年11月30日" in page(client, dunning)


def test_a_queued_job_says_how_many_jobs_wait_ahead_of_it_in_the_queue(staff_client):
    first, second, third = job(), job(), job()
    for row in (first, second, third):
        run_job.enqueue(row.pk)
    assert "Queued: next for a free worker" in page(staff_client, first)
    assert "Queued: 2 jobs ahead of it" in page(staff_client, third)
    Job.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert "no worker has taken it since" in page(staff_client, first)  # first in line, for an hour


@ON_THE_TABLE
def test_the_jobs_being_worked_on_are_ahead_too_and_the_list_says_where_each_stands(staff_client):
    running = job(JobState.RUNNING, heartbeat_at=timezone.now())
    DBTaskResult.objects.get(id=run_job.enqueue(running.pk).id).claim("a worker")  # alive: it beats
    first, second, third = job(), job(), job()
    for row in (first, second, third):
        run_job.enqueue(row.pk)
    assert "Queued: 1 job ahead of it" in page(staff_client, first)  # the one running
    assert "Queued: 3 jobs ahead of it" in page(staff_client, third)
    listed = staff_client.get(changelist_url(Job)).content.decode()
    assert listed.count("Queued: 2 jobs ahead of it") == 1 and "Running" in listed
    Job.objects.filter(pk=running.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert "Queued: 0" not in page(staff_client, first) and "next for a free worker" in page(staff_client, first)


def test_a_stalled_import_says_what_was_committed(staff_client):
    """Killed 2,600 rows into its transaction: nothing of the import was committed."""
    stalled = job(JobState.RUNNING, kind=CONTRACT_IMPORT.name, done=2600, total=3000, committed=0)
    Job.objects.filter(pk=stalled.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    text = page(staff_client, stalled)
    assert "Stalled: no sign of life from its worker since" in text
    assert "2,600 / 3,000 (86%), of which 0 committed" in text


def test_the_billing_run_says_it_started_not_that_it_is_done(staff_client, client, staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    month = BillingMonth.objects.create(month=D(2025, 2, 1))
    told = " ".join(messages_of(run_action(staff_client, BillingMonth, "run", [month])))
    assert "started for February 2025 (running in the background" in told and "done for" not in told
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    client.force_login(staff)
    told = " ".join(messages_of(run_action(client, BillingMonth, "run", [month])))
    assert "開始しました" in told and "完了" not in told


@ON_THE_TABLE
def test_the_list_reads_the_queue_once_whatever_the_number_of_waiting_jobs(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_the_list() -> int:
        with CaptureQueriesContext(connection) as seen:
            staff_client.get(changelist_url(Job))
        return len(seen)

    running = job(JobState.RUNNING, heartbeat_at=timezone.now())
    DBTaskResult.objects.get(id=run_job.enqueue(running.pk).id).claim("a worker")
    run_job.enqueue(job().pk)
    few = queries_of_the_list()
    for _ in range(10):
        run_job.enqueue(job().pk)
    assert queries_of_the_list() == few
