"""The hostile tests' client: a superuser reading the admin in English."""

import pytest
from django.conf import settings


@pytest.fixture
def hostile_client(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client
