from tests.admin.conftest import staff_client  # noqa: F401  (the admin pages' logged-in superuser)
