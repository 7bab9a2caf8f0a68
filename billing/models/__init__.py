from .documents import InvoiceDocument
from .guards import FrozenRowsQuerySet
from .invoices import Invoice, InvoiceLine, InvoiceTax, refuse_if_closed
from .months import BillingMonth, MonthState, SourcesTold
from .numbering import InvoiceCounter

__all__ = [
    "BillingMonth",
    "FrozenRowsQuerySet",
    "Invoice",
    "InvoiceCounter",
    "InvoiceDocument",
    "InvoiceLine",
    "InvoiceTax",
    "MonthState",
    "SourcesTold",
    "refuse_if_closed",
]
