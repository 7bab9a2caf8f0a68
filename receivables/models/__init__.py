from ..choices import AllocationKind, FileFormat, InvoiceState, PaymentSource, PaymentState
from .allocations import Allocation
from .balances import InvoiceBalance
from .deliveries import InvoiceDelivery
from .dunning import DunningNotice
from .journal import JournalBatch, JournalLine
from .payments import BankFile, Payment, TransferName
from .receivables import Receivable
from .refunds import AccountType, Refund, RefundCancellation, RefundPart

__all__ = [
    "AccountType",
    "JournalBatch",
    "JournalLine",
    "Refund",
    "RefundCancellation",
    "RefundPart",
    "Allocation",
    "AllocationKind",
    "BankFile",
    "DunningNotice",
    "FileFormat",
    "InvoiceBalance",
    "InvoiceDelivery",
    "InvoiceState",
    "Payment",
    "PaymentSource",
    "PaymentState",
    "Receivable",
    "TransferName",
]
