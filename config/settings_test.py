"""Settings for the test suite (and the checks of scripts/test.sh): production settings with a key of the
suite's own and a fast password hasher (logins would otherwise spend most of the suite's time hashing)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key-that-signs-nothing-outside-the-test-suite-0123456789")

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Test-client logins (client.force_login, client.login) skip the throttling and the second factor; the
# tests of each (tests/security/) switch them back on.
AXES_ENABLED = False
TWO_FACTOR_REQUIRED = False

# Files the tests' workers write (prepared reports) go to a scratch folder, never into the checkout.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or os.path.join(tempfile.gettempdir(), "backoffice-test-media")
# Never into a real bucket, whatever S3_BUCKET says: the storage tests point at a moto server of their own.
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}  # noqa: F405

# The project names its own SQLite backend (backoffice.sqlite), which pytest-django's per-worker naming does
# not take for SQLite; the test database is the in-memory one Django's SQLite backend gives by default.
if DATABASES["default"]["ENGINE"] == "backoffice.sqlite":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")  # noqa: F405

# The API's rate limits count in each test process's own memory, whatever REDIS_URL the task tests set.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The webhook tests' receiver listens on 127.0.0.1 in plain http.
WEBHOOKS_ALLOW_LOCAL_HTTP = True

# Sessions in the database, whatever REDIS_URL says: the tests' cache above is each process's own, which no
# deployment shares between processes (production's engine is tested in tests/security/test_sessions.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
