"""Every endpoint of the OpenAPI file, with every role and with an expired, a revoked and a read-only token.

What a role may reach is what its permissions give in the admin: an operation that needs a permission the role
lacks is 403 before anything is read; one it may do answers anything but 403 (a missing row is 404, an empty
body 400). Expired and revoked tokens reach nothing; a read-only token writes nothing.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group
from django.urls import resolve
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import Access, ApiToken
from api.permissions import required_permissions
from backoffice.roles import ROLE_NAMES

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "api" / "openapi.yaml").read_text())
MISSING = 999_999_999
OPERATIONS = [
    (method.upper(), re.sub(r"\{[^}]+\}", str(MISSING), path))
    for path, operations in SCHEMA["paths"].items()
    for method in operations
    if method in {"get", "post", "put", "patch", "delete"}
]


def _needed(method: str, path: str) -> list[str]:
    """The permissions the operation's view asks of the request (``api.permissions``)."""
    match = resolve(path)
    view = match.func.cls(**match.func.initkwargs)
    view.action = match.func.actions.get(method.lower())
    view.request = None
    return required_permissions(None, view)


def _request(client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, "{}", content_type="application/json", HTTP_IF_MATCH='"stale"')


def _client_with(user, **fields) -> APIClient:
    expires_at = timezone.now() + timedelta(days=1)
    raw = tokens.issue(ApiToken(user=user, name="walk", expires_at=expires_at, **fields), by=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_the_schema_has_operations_to_walk():
    assert len(OPERATIONS) >= 2


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_reaches_what_its_permissions_give(role, django_user_model):
    user = django_user_model.objects.create_user(f"walk-{role}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = _client_with(user, access=Access.WRITE)
    wrong = []
    for method, path in OPERATIONS:
        allowed = user.has_perms(_needed(method, path))
        status = _request(client, method, path).status_code
        if status >= 500 or (status == 403) == allowed:
            wrong.append(f"{method} {path}: {status} ({'allowed' if allowed else 'not allowed'})")
    assert wrong == []


@pytest.mark.parametrize("state", ["expired", "revoked", "inactive user"])
def test_a_dead_token_reaches_nothing(state, django_user_model):
    user = django_user_model.objects.create_superuser("walk-admin", "walk@example.com", "pw")
    client = _client_with(user, access=Access.WRITE)
    token = ApiToken.objects.get(user=user)
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        tokens.revoke(token, by=user)
    else:
        django_user_model.objects.filter(pk=user.pk).update(is_active=False)
    answers = {f"{method} {path}": _request(client, method, path).status_code for method, path in OPERATIONS}
    assert set(answers.values()) == {401}, answers


def test_a_read_only_token_writes_nothing(django_user_model):
    user = django_user_model.objects.create_superuser("walk-reader", "reader@example.com", "pw")
    client = _client_with(user, access=Access.READ)
    answers = {f"{method} {path}": _request(client, method, path).status_code for method, path in OPERATIONS}
    writes = {operation: status for operation, status in answers.items() if not operation.startswith("GET")}
    reads = {operation: status for operation, status in answers.items() if operation.startswith("GET")}
    assert set(writes.values()) <= {403}, writes
    assert set(reads.values()) <= {200, 404}, reads
