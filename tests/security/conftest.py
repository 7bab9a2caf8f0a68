"""Fixtures of the security tests: the admin tests' logged-in superuser."""

from tests.admin.conftest import staff_client  # noqa: F401
