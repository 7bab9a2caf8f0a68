"""The token admin, as staff use it: each creates tokens for themselves and sees the token once, lists and
revokes their own (a superuser everyone's); a revoked token is refused by the API at once."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Access, ApiToken
from backoffice import bearer

pytestmark = pytest.mark.django_db

LIST = reverse("admin:api_apitoken_changelist")
ADD = reverse("admin:api_apitoken_add")


def new_token_form(name="sales portal", access=Access.READ, **fields):
    expires = timezone.localtime() + timedelta(days=30)
    return {
        "name": name,
        "access": access,
        "expires_at_0": expires.date().isoformat(),
        "expires_at_1": "12:00:00",
        "allowed_addresses": "",
        "requests_per_minute": "60",
        "_save": "Save",
        **fields,
    }


def signed_in(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def api_answer(raw: str) -> int:
    return APIClient().get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_sales_creates_a_token_and_sees_it_once(client, role_user):
    user = role_user("sales")
    signed_in(client, user)
    assert client.get(ADD).status_code == 200

    shown = client.post(ADD, new_token_form(allowed_addresses="127.0.0.0/8"))
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    assert [t.name for t in shown.templates][0] == "admin/backoffice/shown_once.html"
    raw = re.search(r'<code id="shown-once"[^>]*>(bo_[^<]+)</code>', shown.content.decode()).group(1)
    token = ApiToken.objects.get(user=user, name="sales portal")
    assert token.digest == bearer.digest(raw) and raw not in token.digest
    assert token.allowed_addresses == "127.0.0.0/8" and token.requests_per_minute == 60
    assert api_answer(raw) == 200

    # Never again: not in a message, nor on the list or the token's page.
    assert "_messages" not in client.cookies or raw not in client.cookies["_messages"].value
    for page in (client.get(LIST), client.get(reverse("admin:api_apitoken_change", args=[token.pk]))):
        assert page.status_code == 200
        body = page.content.decode()
        assert raw not in body and token.prefix in body


def test_the_expiry_defaults_to_the_setting(client, role_user):
    signed_in(client, role_user("sales"))
    expires = client.get(ADD).context["adminform"].form["expires_at"].initial
    assert abs(expires - timezone.now() - timedelta(days=settings.API_TOKEN_DAYS)) < timedelta(minutes=1)


def test_a_live_name_is_one_token_per_user(client, role_user, make_token):
    user = role_user("sales")
    make_token(user, name="sales portal")
    signed_in(client, user)
    refused = client.post(ADD, new_token_form())
    assert refused.status_code == 200
    assert "You already have a live token of this name." in refused.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_bad_address_is_refused_on_its_field(client, role_user):
    signed_in(client, role_user("logistics"))
    refused = client.post(ADD, new_token_form(allowed_addresses="10.0.0.0/8\nnowhere"))
    assert refused.context["adminform"].form.errors["allowed_addresses"] == [
        "“nowhere” is not an address or a network."
    ]
    assert not ApiToken.objects.exists()


def test_another_users_token_is_neither_listed_nor_reachable(client, role_user, make_token):
    other = role_user("billing")
    make_token(other, name="accounting")
    theirs = ApiToken.objects.get(user=other)
    mine = role_user("sales")
    make_token(mine, name="portal")
    signed_in(client, mine)

    listed = client.get(LIST)
    assert [row.name for row in listed.context["cl"].result_list] == ["portal"]
    assert client.get(LIST, {"q": "accounting"}).context["cl"].result_count == 0
    for name in ("change", "history"):
        page = client.get(reverse(f"admin:api_apitoken_{name}", args=[theirs.pk]))
        assert page.status_code in (302, 404)
        assert "accounting" not in page.content.decode()

    client.post(LIST, {"action": "revoke", "_selected_action": [theirs.pk], "_step": "confirm"})
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_superuser_sees_every_token(client, role_user, make_token):
    for role in ("sales", "billing"):
        make_token(role_user(role), name=f"{role} system")
    signed_in(client, role_user("superuser"))
    listed = client.get(LIST)
    assert {row.name for row in listed.context["cl"].result_list} == {"sales system", "billing system"}
    assert "api-sales" in listed.content.decode()  # the owner's column


def test_a_token_page_edits_nothing_and_nothing_is_deleted(client, role_user, make_token):
    user = role_user("sales")
    make_token(user, name="portal")
    token = ApiToken.objects.get(user=user)
    signed_in(client, user)
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    client.post(reverse("admin:api_apitoken_change", args=[token.pk]), {"name": "renamed"})
    assert ApiToken.objects.get(pk=token.pk).name == "portal"
    assert client.get(reverse("admin:api_apitoken_delete", args=[token.pk])).status_code == 403


def test_revoke_asks_then_the_token_is_refused(client, role_user, make_token):
    user = role_user("auditor")
    raw = make_token(user, Access.READ, name="reports")
    token = ApiToken.objects.get(user=user)
    assert api_answer(raw) == 200
    signed_in(client, user)

    asked = client.post(LIST, {"action": "revoke", "_selected_action": [token.pk]})
    assert asked.status_code == 200 and "Yes, apply" in asked.content.decode()
    assert "refused at once and for good" in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    done = client.post(LIST, {"action": "revoke", "_selected_action": [token.pk], "_step": "confirm"}, follow=True)
    assert "Revoke: done for" in done.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_answer(raw) == 401
    assert client.get(LIST, {"state": "revoked"}).context["cl"].result_count == 1
    assert client.get(LIST, {"state": "live"}).context["cl"].result_count == 0


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_two_factor_role_without_a_device_gets_no_write_token(client, role_user, monkeypatch):
    """The site keeps a billing user without an authenticator out of the admin; were one let in (the gate
    open here), the form still refuses the write token on its field: the rule is the token's (api.tokens)."""
    user = role_user("billing")
    signed_in(client, user)
    assert client.get(ADD).status_code == 302  # sign in with a second factor first

    monkeypatch.setattr("backoffice.site.lacks_second_factor", lambda request: False)
    refused = client.post(ADD, new_token_form(name="accounting", access=Access.WRITE))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["access"] == [
        "Your role signs in with two factors: enrol an authenticator before creating a write token."
    ]
    assert not ApiToken.objects.exists()
    assert client.post(ADD, new_token_form(name="accounting")).status_code == 200
    assert ApiToken.objects.get().access == Access.READ
