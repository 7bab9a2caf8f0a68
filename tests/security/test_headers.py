"""What every answer carries and where a sign-in lands: the security headers on a refused body too, one
framing policy, the language cookie's flags, a sign-in's unsafe ?next=, the site's icon."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


def _without_nonce(header: str | None) -> str:
    return re.sub(r" 'nonce-[^']*'", "", header or "")


@override_settings(MAX_REQUEST_BYTES=4096)
def test_a_refused_body_is_answered_with_the_security_headers_of_every_page(staff_client):
    upload = SimpleUploadedFile("units.csv", b"serial\n" + b"A-1\n" * 2000, content_type="text/csv")
    refused = staff_client.post(reverse("admin:equipment_unit_import"), {"file": upload})
    assert refused.status_code == 413
    page = staff_client.get(reverse("admin:index"))
    for header in SECURITY_HEADERS:
        assert _without_nonce(refused.get(header)) == _without_nonce(page.get(header)) != "", header


def test_no_page_may_be_framed_by_either_header(client):
    page = client.get(reverse("admin:login"))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_language_cookie_is_secure_same_site_and_out_of_scripts_reach(client):
    assert settings.SESSION_COOKIE_SECURE  # production's settings, which the tests run with
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_sign_in_whose_next_leaves_the_site_lands_on_the_admins_index():
    User.objects.create_user("mover", password="pw-for-tests-only", is_staff=True)
    client = Client()
    data = {"username": "mover", "password": "pw-for-tests-only", "next": "https://evil.example/"}
    response = client.post(reverse("admin:login"), data)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_the_site_has_an_icon_that_every_admin_page_names(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302
    path = finders.find(icon["Location"].removeprefix("/" + settings.STATIC_URL.strip("/") + "/"))
    with open(path) as svg:
        assert svg.read().startswith("<svg")
    assert f'<link rel="icon" href="{icon["Location"]}"' in client.get(reverse("admin:login")).content.decode()
