"""Each health check, healthy and not: /health/ answers 200 when all are, 500 naming what is wrong otherwise
(JSON with ``Accept: application/json``)."""

import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper

from jobs.models import JobState
from outbox.choices import MessageState

from .builders import LONG_AGO, ago, job, message, waiting_task

pytestmark = pytest.mark.django_db

on_db_queue = pytest.mark.skipif(django_settings.TASKS_BACKEND != "db", reason="writes the database backend's queue")


def health(client) -> tuple[int, dict]:
    response = client.get("/health/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.json()


def test_all_healthy(client):
    status, checks = health(client)
    assert status == 200
    assert checks == {
        "Database(alias='default')": "OK",
        "Storage(alias='default')": "OK",
        "TaskQueue()": "OK",
        "Outbox()": "OK",
    }


def test_the_page_for_people_is_html(client):
    response = client.get("/health/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"TaskQueue()" in response.content


def test_the_database_unreachable(client):
    down = OperationalError("connection refused: is the server running?")
    with mock.patch.object(BaseDatabaseWrapper, "temporary_connection", side_effect=down):
        status, checks = health(client)
    assert status == 500
    assert checks["Database(alias='default')"] == "Unavailable: connection refused"


def test_the_storage_not_writable(client, settings, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": not_a_folder}},
    }
    status, checks = health(client)
    assert status == 500 and checks["Storage(alias='default')"] != "OK"


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_running(), reason="needs Redis at 127.0.0.1:6379")
@pytest.mark.parametrize(("url", "healthy"), [("redis://127.0.0.1:6379/15", True), ("redis://127.0.0.1:1/0", False)])
def test_the_cache_is_checked_when_it_is_redis(client, settings, url, healthy):
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    status, checks = health(client)
    assert (status, checks["Cache(alias='default')"] == "OK") == ((200, True) if healthy else (500, False))


def test_without_redis_the_processs_own_cache_is_not_checked(client):
    assert "Cache(alias='default')" not in health(client)[1]


@pytest.mark.parametrize(
    ("state", "retry", "healthy"),
    [
        (MessageState.QUEUED, None, False),
        (MessageState.FAILED, LONG_AGO, False),  # failed with tries left
        (MessageState.FAILED, None, True),  # no try left: given up, shown on the outbox's list, not waiting
    ],
)
def test_an_old_message_still_to_send_makes_the_outbox_unhealthy(client, state, retry, healthy):
    message(queued_ago=timedelta(minutes=5))
    message(queued_ago=timedelta(hours=2), state=state, attempts=1, retry_at=retry and ago(retry))
    status, checks = health(client)
    if healthy:
        assert (status, checks["Outbox()"]) == (200, "OK")
    else:
        assert status == 500
        assert checks["Outbox()"] == "Unavailable: 2 messages not sent, the oldest queued 7200 s ago (limit 900 s)."


def test_the_outbox_limit_is_a_setting(client, settings):
    message(queued_ago=timedelta(minutes=5))
    assert health(client)[1]["Outbox()"] == "OK"
    settings.HEALTH_OUTBOX_MAX_AGE_SECONDS = 60
    assert health(client)[1]["Outbox()"].startswith("Unavailable: 1 message not sent, queued 300 s ago")


def test_a_stalled_job_makes_the_queue_unhealthy(client):
    stalled = job(JobState.RUNNING, silent_for=LONG_AGO)
    job(JobState.RUNNING, silent_for=timedelta(seconds=5))  # beating
    job(JobState.QUEUED, silent_for=LONG_AGO)  # never taken: the queue's age tells of it, not this
    status, checks = health(client)
    assert status == 500
    assert checks["TaskQueue()"] == (
        f"Unavailable: 1 running job is stalled (#{stalled.pk}): no sign of life for over 30 s."
    )


@on_db_queue
def test_a_silent_running_job_whose_tasks_wait_in_the_queue_is_not_stalled(client):
    """Its next batches wait behind another job's: the jobs page says it waits, not that it stalled."""
    waiting_task(job(JobState.RUNNING, silent_for=LONG_AGO))
    status, checks = health(client)
    assert (status, checks["TaskQueue()"]) == (200, "OK")


@on_db_queue
def test_an_old_waiting_task_makes_the_queue_unhealthy(client, settings):
    waiting_task(job(), waited=timedelta(minutes=5))
    assert health(client)[1]["TaskQueue()"] == "OK"
    waiting_task(job(), waited=timedelta(minutes=11))
    status, checks = health(client)
    assert status == 500
    assert checks["TaskQueue()"] == "Unavailable: The oldest task has waited 660 s for a worker (limit 600 s)."
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 3600
    assert health(client)[1]["TaskQueue()"] == "OK"


def test_a_check_whose_query_outlasts_its_limit_is_unavailable_and_the_others_run_on(client, settings, on_postgres):
    settings.HEALTH_STATEMENT_TIMEOUT_MS = 100

    def slow(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    with mock.patch("ops.checks.Outbox.probe", slow):
        status, checks = health(client)
    assert status == 500
    assert checks["Outbox()"] == "Unavailable: The database did not answer within 100 ms."
    assert checks["TaskQueue()"] == "OK"
