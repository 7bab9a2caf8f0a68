"""What the management commands share: the staff user a command's ``--user`` names in the history, and
the one reading of ``--month``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .months import Month


def history_user(login: str | None):
    """The user named ``login`` (a ``CommandError`` if there is none), or None: the history then names no one."""
    if not login:
        return None
    user = get_user_model().objects.filter(username=login).first()
    if user is None:
        raise CommandError(_("No user named “%(user)s”.") % {"user": login})
    return user


def month_option(text: str) -> Month:
    """A command's ``--month YYYY-MM`` as a ``Month`` (``Month.parse``), else a ``CommandError`` saying why.
    Read in ``handle()``, as ``call_command(month=...)`` skips the parser's conversion."""
    try:
        return Month.parse(text)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None


__all__ = ["history_user", "month_option"]
