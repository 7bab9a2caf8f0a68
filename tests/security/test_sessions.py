"""Sessions are extended every few minutes, not written on every page (``backoffice.sessions``);
production keeps them in Redis before the database when it has Redis, and renders templates from memory."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backoffice.sessions import EXTENDED_AT

pytestmark = pytest.mark.django_db

INDEX = "/admin/customers/customer/"


def _signed_in(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _session_writes(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_page_within_minutes_of_the_last_extension_reads_the_session_and_writes_nothing(staff):
    client = _signed_in(staff)
    expires = Session.objects.get().expire_date
    assert _session_writes(client) == []
    assert settings.SESSION_COOKIE_NAME not in client.get(INDEX).cookies
    assert Session.objects.get().expire_date == expires


def test_a_page_after_the_refresh_interval_extends_the_session_and_sends_the_cookie_again(staff):
    client = _signed_in(staff)
    client.get(INDEX)
    store = client.session
    store[EXTENDED_AT] = int(time.time()) - settings.SESSION_REFRESH_SECONDS
    store.save()
    expires = Session.objects.get().expire_date
    assert _session_writes(client)
    assert Session.objects.get().expire_date > expires
    assert _session_writes(client) == []  # extended again only minutes later
    store = client.session
    store[EXTENDED_AT] = int(time.time()) - settings.SESSION_REFRESH_SECONDS
    store.save()
    response = client.get(INDEX)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_visitor_without_a_session_gets_none(client):
    client.get("/admin/login/")
    assert not Session.objects.exists()


def _production(code: str, **env) -> str:
    """What ``code`` prints under the production settings, in a fresh process with ``env``."""
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean["SECRET_KEY"] = "kq3#v9!pZ-0mWb7@LrT2x^Hc8&NfY4s*Ue1(Jd6)Ga5_Ko%Vi+Qp=Xl/Ey<Bn>Sz"
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shell.returncode == 0, shell.stderr
    return shell.stdout.strip().splitlines()[-1]


def test_production_keeps_sessions_in_redis_before_the_database_and_in_the_database_without_redis():
    engine = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    with_redis = _production(engine, REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis == "django.contrib.sessions.backends.cached_db"
    assert _production(engine) == "django.contrib.sessions.backends.db"


def test_production_renders_templates_from_memory():
    loaders = "from django.template import engines; print([type(l) for l in engines['django'].engine.template_loaders])"
    assert _production(loaders) == "[<class 'django.template.loaders.cached.Loader'>]"


def test_with_a_shared_cache_a_page_reads_its_session_from_the_cache(staff, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = _signed_in(staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    assert not [q["sql"] for q in queries if "django_session" in q["sql"]]
