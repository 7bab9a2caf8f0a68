"""Browser tests of the admin: Playwright (sync API) driving Debian's chromium against ``live_server``.

Skipped when /usr/bin/chromium is missing. ``live_server`` tests flush the tables after each
test; the root conftest loads the catalog again after each of them.
"""

import os

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from .steps import PASSWORD  # the ``staff`` fixture's password too


class OneRequestAtATime(WSGIServer):
    """The live server without a thread per request.

    On SQLite every request thread shares the test's in-memory connection, and two requests at once
    (a page and its scripts) can mix their rows. ``LiveServerThread.run`` already hands the server's
    own thread the test's connections; Django closes each HTTP connection after its response on a
    server without threads, so a browser's kept-alive socket never blocks the next request.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime

# The sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def site(live_server, settings):
    """The live admin over plain http: secure cookies would never come back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server.url


@pytest.fixture
def page(browser, site):
    """A Japanese browser tab; at the end, no script or style was refused by the Content-Security-Policy."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def logged_in(page, site, staff):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page
