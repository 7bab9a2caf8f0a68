"""Tokens: shown once, stored hashed, expiring, revocable, read-only or read-write, bound to addresses, acting
with their user's permissions; every refusal a problem document."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from api import tokens
from api.models import Access, ApiToken
from backoffice import bearer
from tests import factories

pytestmark = pytest.mark.django_db


def test_only_the_digest_is_stored(api_as):
    client = api_as("sales")
    row = ApiToken.objects.get(user=client.user)
    assert client.raw_token.startswith(f"bo_{row.prefix}_")
    assert client.raw_token not in {row.digest, row.prefix}
    assert row.digest == bearer.digest(client.raw_token)


def test_a_token_reads_what_its_user_may(api_as):
    factories.customer(name="株式会社テスト")
    response = api_as("sales", Access.READ).get("/api/v1/customers")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["株式会社テスト"]


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (None, "Authentication credentials were not provided."),
        ("Bearer bo_nothere_secret", "The token is not valid."),
        ("Bearer", "The Authorization header is “Bearer <token>”."),
    ],
)
def test_no_or_a_false_token_is_401_problem(client, header, why):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/customers", HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401 and body["detail"] == why
    assert body["code"] in {"not-authenticated", "authentication-failed"}


def test_a_guessed_secret_with_a_real_prefix_is_refused(api_as, client):
    real = api_as("sales").raw_token
    forged = real[:-4] + ("aaaa" if not real.endswith("aaaa") else "bbbb")
    response = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {forged}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response.json()["detail"] == "The token is not valid."


def test_expired_and_revoked_tokens_are_refused(api_as):
    expired = api_as("sales")
    ApiToken.objects.filter(user=expired.user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expired.get("/api/v1/customers").json()["detail"] == "The token has expired."
    revoked = api_as("billing")
    tokens.revoke(ApiToken.objects.get(user=revoked.user), by=revoked.user)
    assert revoked.get("/api/v1/customers").json()["detail"] == "The token was revoked."


def test_the_address_allow_list(api_as):
    client = api_as("sales", allowed_addresses="10.0.0.0/8\n192.0.2.7")
    assert client.get("/api/v1/customers", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/api/v1/customers", REMOTE_ADDR="192.0.2.7").status_code == 200
    refused = client.get("/api/v1/customers", REMOTE_ADDR="192.0.2.8")
    assert refused.status_code == 401 and refused.json()["detail"] == "The token may not be used from this address."


def test_a_bad_allow_list_is_refused_by_entry(role_user):
    user = role_user("sales")
    with pytest.raises(ValidationError) as refused:
        tokens.issue(ApiToken(user=user, name="x", allowed_addresses="10.0.0.0/8, not-an-address"), by=user)
    assert "“not-an-address” is not an address or a network." in str(refused.value)


def test_last_use_is_recorded(api_as):
    client = api_as("sales")
    client.get("/api/v1/customers", REMOTE_ADDR="127.0.0.9")
    row = ApiToken.objects.get(user=client.user)
    assert row.last_used_at is not None and row.last_used_from == "127.0.0.9"


def test_a_role_without_the_view_permission_is_403(api_as):
    from equipment.models import Unit  # noqa: F401 (any model sales may not read would do; customers all may read)

    client = api_as("auditor")
    assert client.get("/api/v1/customers").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_two_factor_role_needs_a_device_for_a_write_token(role_user):
    user = role_user("billing")
    with pytest.raises(ValidationError) as refused:
        tokens.issue(ApiToken(user=user, name="accounting", access=Access.WRITE), by=user)
    assert "enrol an authenticator" in str(refused.value)
    tokens.issue(ApiToken(user=user, name="accounting-read", access=Access.READ), by=user)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert tokens.issue(ApiToken(user=user, name="accounting", access=Access.WRITE), by=user).startswith("bo_")


def test_a_rate_limit_answers_429_with_retry_after(api_as):
    client = api_as("sales", requests_per_minute=2)
    assert [client.get("/api/v1/customers").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/customers")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"


def test_problems_speak_the_language_asked(api_as):
    client = api_as("sales")
    english = client.get("/api/v1/customers/999999")
    japanese = client.get("/api/v1/customers/999999", HTTP_ACCEPT_LANGUAGE="ja")
    assert english.status_code == japanese.status_code == 404
    assert english.json()["code"] == japanese.json()["code"] == "not-found"
    assert english.json()["title"] == "Not found"
    assert japanese.json()["title"] != "Not found"


def test_an_unknown_path_is_a_problem_too(api_as):
    response = api_as("sales").get("/api/v1/nothing-here")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_a_row_carries_its_etag(api_as):
    customer = factories.customer()
    response = api_as("sales").get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200 and response["ETag"].startswith('"')


def test_lists_page_by_cursor_with_constant_queries(api_as, django_assert_max_num_queries):
    for n in range(7):
        factories.customer(name=f"顧客{n}")
    client = api_as("sales")
    with django_assert_max_num_queries(8):
        first = client.get("/api/v1/customers?limit=5").json()
    assert len(first["results"]) == 5 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
