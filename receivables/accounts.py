"""The accounts the journal names, and the names the accounting software knows them by: read by the journal,
its rows and the settings' check, beneath all of them."""

from django.conf import settings

#: The accounts the entries name, by their role here; ``RECEIVABLES_JOURNAL_ACCOUNTS`` renames any of them to
#: the name the accounting software's chart of accounts uses (e.g. ``bank`` → 当座預金).
ACCOUNTS = {
    "receivable": "売掛金",
    "sales": "売上高",
    "tax": "仮受消費税",
    "bank": "普通預金",
    "credit": "前受金",
    "suspense": "仮受金",
    "fees": "支払手数料",
}
RECEIVABLE, SALES, TAX, BANK, CREDIT, SUSPENSE, FEES = ACCOUNTS


def account_names() -> dict[str, str]:
    """Each account's name as the journal writes it: ours, or the one the setting gives."""
    return {**ACCOUNTS, **settings.RECEIVABLES_JOURNAL_ACCOUNTS}
