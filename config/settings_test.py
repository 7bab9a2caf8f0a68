"""Settings for the test suite: production settings with a fast password hasher.

Logins in tests would otherwise spend most of the suite's time hashing passwords.
"""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
