"""The demo user: the login of ``ensure_demo_login`` and the user the demo history names."""

from django.contrib.auth import get_user_model

DEMO_USERNAME = "admin"


def demo_user():
    """The demo superuser; ``ensure_demo_login`` gives it its password."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
