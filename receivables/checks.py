"""System checks of the receivables settings: a journal naming an account accounting does not know is refused
by its import, so a misspelt setting is caught at start, not at the month's end."""

from django.conf import settings
from django.core import checks

from .accounts import ACCOUNTS


@checks.register()
def journal_accounts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    names = settings.RECEIVABLES_JOURNAL_ACCOUNTS
    errors = []
    unknown = sorted(set(names) - set(ACCOUNTS))
    if unknown:
        errors.append(
            checks.Error(
                f"RECEIVABLES_JOURNAL_ACCOUNTS names no such account: {', '.join(unknown)} "
                f"(known: {', '.join(ACCOUNTS)}).",
                id="receivables.E001",
            )
        )
    empty = sorted(role for role, name in names.items() if role in ACCOUNTS and not str(name).strip())
    if empty:
        errors.append(
            checks.Error(
                f"RECEIVABLES_JOURNAL_ACCOUNTS gives an empty name to: {', '.join(empty)}.", id="receivables.E002"
            )
        )
    return errors
