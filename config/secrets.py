"""The signing key: production never starts on a missing, published or weak one."""

from django.core.exceptions import ImproperlyConfigured

#: Signs sessions under DEBUG only; it is in the repository, so anyone could forge with it.
DEVELOPMENT_KEY = "django-insecure-development-only-key"


def weak(key: str) -> bool:
    """What ``check --deploy`` (security.W009) calls weak: short, few distinct characters, or marked insecure."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


def secret_key(key: str, *, debug: bool) -> str:
    """``key`` if it is fit to sign with; under DEBUG an empty key falls back to the development one."""
    if debug:
        return key or DEVELOPMENT_KEY
    if not key:
        raise ImproperlyConfigured("SECRET_KEY is not set: production needs a random key of 50 characters or more.")
    if key == DEVELOPMENT_KEY or weak(key):
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key or too weak: use a random key of 50 characters or more "
            '(python -c "from django.core.management.utils import get_random_secret_key as k; print(k())").'
        )
    return key
