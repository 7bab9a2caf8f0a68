from .claim import Claim, ClaimStatus, Credit, CreditStatus
from .outage import AffectedContract, ExclusionReason, FailureNotification, Outage, OutageOrigin, OutageState

__all__ = [
    "AffectedContract",
    "Claim",
    "ClaimStatus",
    "Credit",
    "CreditStatus",
    "ExclusionReason",
    "FailureNotification",
    "Outage",
    "OutageOrigin",
    "OutageState",
]
