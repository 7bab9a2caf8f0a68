"""What the management commands share: the language they speak, the staff user a command's ``--user`` names in
the history, and the one reading of ``--month``."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from .months import Month


class StaffCommand(BaseCommand):
    """A command staff run: it speaks the screens' language (``LANGUAGE_CODE``, Japanese) unless ``--language``
    says otherwise. Django's own commands switch translations off (``leave_locale_alone``); these keep them."""

    leave_locale_alone = True

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=_("language of the output and the errors (default: %(default)s)")
            % {"default": settings.LANGUAGE_CODE},
        )
        return parser

    def execute(self, *args, **options):
        language = options.get("language") or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            return super().execute(*args, **options)


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


__all__ = ["StaffCommand", "history_user", "month_option"]
