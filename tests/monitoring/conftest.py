"""The monitoring tests read the source strings: English unless a test asks for Japanese (the notices are
always Japanese, whatever the language around them)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield
