"""The admin tests' logged-in superuser, for the SLA admin pages too."""

from tests.admin.conftest import staff_client as staff_client
