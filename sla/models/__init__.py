from .claim import Claim, ClaimStatus, Credit, CreditStatus
from .outage import AffectedContract, ExclusionReason, FailureNotification, Outage

__all__ = [
    "AffectedContract",
    "Claim",
    "ClaimStatus",
    "Credit",
    "CreditStatus",
    "ExclusionReason",
    "FailureNotification",
    "Outage",
]
