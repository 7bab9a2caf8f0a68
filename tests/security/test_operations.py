"""Operable in production: JSON logs with the request and the traceback (finding 7), the admin path, the
idle timeout and PostgreSQL's statement timeout (finding 9)."""

import importlib
import io
import json
import logging

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import clear_url_caches, path, reverse
from django.utils import timezone

from config import web
from config.log import JsonFormatter

pytestmark = pytest.mark.django_db


def _fail(request):
    assert request.user.is_authenticated  # as every admin view checks first
    raise RuntimeError("boom in a view")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [path("fail/", _fail), path("ok/", _ok)]


@pytest.fixture
def request_log():
    """What the configured ``stderr`` handler writes, from any logger: its JSON lines."""
    config = settings.LOGGING
    assert config["handlers"]["stderr"]["formatter"] == "json"
    assert config["formatters"]["json"]["()"] is JsonFormatter
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def _entries(log) -> list[dict]:
    return [json.loads(line) for line in log.getvalue().splitlines()]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_logged_as_json_with_the_request_and_its_traceback(request_log, staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.get("/fail/", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500 and response["X-Request-ID"] == "req-42"
    error = _entries(request_log)[-1]
    assert error["level"] == "ERROR" and error["status"] == 500
    assert (error["request_id"], error["path"], error["user"], error["method"]) == ("req-42", "/fail/", "staff", "GET")
    assert "RuntimeError: boom in a view" in error["traceback"]


@pytest.mark.parametrize("query", ["id__regex=(", "name__iregex=^(a%2B)%2B$", "code=%00"])
def test_a_refused_query_string_is_a_warning_without_a_traceback(request_log, staff_client, query):
    assert staff_client.get(f"{reverse('admin:customers_customer_changelist')}?{query}").status_code == 400
    refusals = [entry for entry in _entries(request_log) if entry.get("status") == 400]
    assert refusals
    assert all(entry["level"] == "WARNING" and "traceback" not in entry for entry in refusals), refusals
    assert any(entry["logger"].startswith("django.security.") for entry in refusals)


@override_settings(ROOT_URLCONF=__name__)
def test_each_request_gets_an_id_and_an_unsafe_one_is_replaced():
    given = Client().get("/ok/", headers={"X-Request-ID": "bad id\nwith newline"})
    assert given["X-Request-ID"] != "bad id\nwith newline" and len(given["X-Request-ID"]) == 32


def test_admins_are_mailed_server_errors_only_when_set():
    from config.log import logging_config

    assert logging_config(level="INFO", mail_admins=True)["loggers"]["django.request"]["handlers"] == [
        "stderr",
        "mail_admins",
    ]
    assert logging_config(level="INFO", mail_admins=False)["loggers"]["django.request"]["handlers"] == ["stderr"]


def test_the_admin_answers_at_admin_url():
    import config.urls

    try:
        with override_settings(ADMIN_URL="office-7f3a/"):
            importlib.reload(config.urls)
            clear_url_caches()
            assert reverse("admin:index") == "/office-7f3a/"
            assert reverse("reports:dashboard") == "/office-7f3a/reports/"
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
    assert reverse("admin:index") == "/admin/"


def test_a_session_ends_after_a_working_day_without_a_request(staff):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_REFRESH_SECONDS == 300
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(reverse("admin:index")).status_code == 302


def test_web_requests_on_postgresql_stop_a_statement_after_the_timeout(on_postgres):
    web.limit_statement_time()
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == f"{settings.WEB_STATEMENT_TIMEOUT_MS // 1000}s"
    finally:
        connection.close()
        web.connection_created.disconnect(dispatch_uid="web_statement_timeout")
