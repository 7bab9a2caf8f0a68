from tests.admin.conftest import staff_client as staff_client  # noqa: F401
