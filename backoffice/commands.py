"""What the management commands share: the staff user a command's ``--user`` names in the history."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def history_user(login: str | None):
    """The user named ``login`` (a ``CommandError`` if there is none), or None: the history then names no one."""
    if not login:
        return None
    user = get_user_model().objects.filter(username=login).first()
    if user is None:
        raise CommandError(_("No user named “%(user)s”.") % {"user": login})
    return user


__all__ = ["history_user"]
