from ..choices import AllocationKind, FileFormat, InvoiceState, PaymentSource, PaymentState
from .allocations import Allocation
from .deliveries import InvoiceDelivery
from .dunning import DunningNotice
from .payments import BankFile, Payment, TransferName
from .receivables import Receivable

__all__ = [
    "Allocation",
    "AllocationKind",
    "BankFile",
    "DunningNotice",
    "FileFormat",
    "InvoiceDelivery",
    "InvoiceState",
    "Payment",
    "PaymentSource",
    "PaymentState",
    "Receivable",
    "TransferName",
]
