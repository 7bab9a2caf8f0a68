from ..choices import AllocationKind, FileFormat, InvoiceState, PaymentSource, PaymentState
from .allocations import Allocation
from .payments import BankFile, Payment, TransferName
from .receivables import Receivable

__all__ = [
    "Allocation",
    "AllocationKind",
    "BankFile",
    "FileFormat",
    "InvoiceState",
    "Payment",
    "PaymentSource",
    "PaymentState",
    "Receivable",
    "TransferName",
]
