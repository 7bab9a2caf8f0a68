import pytest
from django.db import connection
from django.utils import translation


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-for-tests-only")


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def english():
    """Read messages in English, the language of the source strings that name the articles."""
    with translation.override("en"):
        yield
