"""What other apps compute with billing's rules (the monthly report): the tax of invoice lines, rounded as
closing rounds it, and a contract's settlement. Billing's rows are read through ``billing.models``."""

from .figures import taxes_of
from .settlement import settlement_for

__all__ = ["settlement_for", "taxes_of"]
