"""The signing key: production refuses to start on a missing, published or weak key (finding 1)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured

from config.secrets import DEVELOPMENT_KEY, secret_key

STRONG = "kq3#v9!pZ-0mWb7@LrT2x^Hc8&NfY4s*Ue1(Jd6)Ga5_Ko%Vi+Qp=Xl/Ey<Bn>Sz"


@pytest.mark.parametrize("key", ["", DEVELOPMENT_KEY, "short-key", "a" * 80, "django-insecure-" + STRONG])
def test_outside_debug_a_missing_published_or_weak_key_is_refused(key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        secret_key(key, debug=False)


def test_a_strong_key_is_used_and_debug_falls_back_to_the_development_key():
    assert secret_key(STRONG, debug=False) == STRONG
    assert secret_key("", debug=True) == DEVELOPMENT_KEY


def _manage(*args, **env):
    # The production settings as a fresh shell has them (the browser tests allow async-unsafe calls).
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_fails_without_secret_key_and_passes_with_production_settings():
    refused = _manage("check", "--deploy")
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr
    production = {
        "SECRET_KEY": STRONG,
        "ALLOWED_HOSTS": "backoffice.example",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    clean = _manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert clean.returncode == 0, clean.stderr
    demo = _manage("check", "--deploy", "--fail-level", "WARNING", **production, TWO_FACTOR_REQUIRED="false")
    assert demo.returncode != 0 and "backoffice.W001" in demo.stderr


def test_rotation_reads_the_old_keys_as_fallbacks_and_still_accepts_what_they_signed():
    old = STRONG[::-1]
    signed = signing.dumps("session", key=old)
    shell = f"from django.core import signing; print(signing.loads({signed!r}))"
    rotated = _manage("shell", "--no-imports", "-c", shell, SECRET_KEY=STRONG, SECRET_KEY_FALLBACKS=old)
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip().splitlines()[-1] == "session"
    weak = _manage("shell", "--no-imports", "-c", shell, SECRET_KEY=STRONG, SECRET_KEY_FALLBACKS=DEVELOPMENT_KEY)
    assert weak.returncode != 0 and "development key" in weak.stderr
