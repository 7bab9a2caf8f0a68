"""The back-office speaks Japanese whatever the browser asks, until the user switches."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
def test_japanese_by_default_even_for_an_english_browser_and_english_on_request(staff):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    browser.force_login(staff)
    assert "契約" in browser.get("/admin/").content.decode()

    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = browser.get("/admin/").content.decode()
    assert "Contracts" in page and "契約" not in page
