"""The API's tests: a client that presents a token of a user holding one role, in English unless asked."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import Access, ApiToken


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test counts its requests from zero: the rate limits count in the process's cache, by token id, and
    the ids come round again from one test to the next."""
    cache.clear()


@pytest.fixture
def make_token(db):
    """``make_token(user, access="write", **fields)``: the raw token of a new token row of ``user``."""

    def make(user, access=Access.WRITE, **fields):
        fields.setdefault("expires_at", timezone.now() + timedelta(days=30))
        return tokens.issue(
            ApiToken(user=user, name=fields.pop("name", f"t{ApiToken.objects.count()}"), access=access, **fields),
            by=user,
        )

    return make


@pytest.fixture
def role_user(django_user_model):
    """``role_user("sales")``: a staff user holding that role only (``"superuser"`` for a superuser)."""

    def make(role: str):
        if role == "superuser":
            return django_user_model.objects.create_superuser(f"api-{role}", f"{role}@example.com", "pw")
        user = django_user_model.objects.create_user(f"api-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def api_as(make_token, role_user):
    """``api_as("sales", access="write")``: an ``APIClient`` presenting a token of a user of that role, asking
    for English; its ``user`` and ``raw_token`` are on it."""

    def make(role: str, access=Access.WRITE, **fields):
        user = role_user(role)
        raw = make_token(user, access, **fields)
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        client.user, client.raw_token = user, raw
        return client

    return make
