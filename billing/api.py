"""What other apps compute with billing's rules (the monthly report, the REST API): the tax of invoice lines,
rounded as closing rounds it, an open invoice's running figures, and a contract's settlement. Billing's rows
are read through ``billing.models``."""

from .figures import running_figures, taxes_of
from .settlement import settlement_for

__all__ = ["running_figures", "settlement_for", "taxes_of"]
