"""What ends together with a contract or a related contract (関連契約), by the terms or a recorded decision.

A cascade only reads: it returns the live contracts that end with the row, and never refuses
(refusals are the end guards' business, in ``hooks``). One cascade per service or related kind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from customers.choices import RelatedKind
from customers.models import RelatedContract

from ..choices import SETTLEMENT_WAIVED, ServiceCode, TerminationReason
from ..models import Contract, ContractOption
from .cxm2 import standbys_end_with_their_active
from .smart_hub import smart_hubs_end_with_the_last_private_backbone

ContractCascade = Callable[[Contract, date], list[Contract]]
RelatedCascade = Callable[[RelatedContract, date], list[Contract]]

#: What ends with a contract of the service.
WITH_CONTRACT: dict[str, ContractCascade] = {ServiceCode.CXM2: standbys_end_with_their_active}
#: What ends with a related contract of the kind.
WITH_RELATED: dict[str, RelatedCascade] = {RelatedKind.PBB: smart_hubs_end_with_the_last_private_backbone}


def cascade_of_contract_end(contract: Contract, on: date) -> list[Contract]:
    cascade = WITH_CONTRACT.get(contract.service_id)
    return cascade(contract, on) if cascade else []


def cascade_of_related_end(related: RelatedContract, on: date) -> list[Contract]:
    cascade = WITH_RELATED.get(related.kind)
    return cascade(related, on) if cascade else []


@dataclass(frozen=True)
class Ending:
    """A row that ends because ``cause`` ends: as its option, its child, or a follower the rules name."""

    row: Contract | ContractOption
    reason: str
    cause: Contract
    via: str  # "option", "child" or "follower"


def endings_with(
    contract: Contract, on: date, reason: str, *, followers: ContractCascade = cascade_of_contract_end
) -> list[Ending]:
    """Every live row that ends when ``contract`` ends on ``on`` for ``reason``, in the order the end
    applies: its options, its children (each with what ends with it), then the contracts that follow it.

    A follower ends for the same provider-side reason (so its settlement stays waived), else as a
    cascade. ``followers`` is the cascade to apply; the lifecycle passes one that also runs the end guards.
    """
    endings = [Ending(option, reason, contract, "option") for option in contract.options.live()]
    for child in Contract.objects.filter(parent=contract).live():
        endings += [Ending(child, reason, contract, "child"), *endings_with(child, on, reason, followers=followers)]
    follower_reason = reason if reason in SETTLEMENT_WAIVED else TerminationReason.CASCADE
    for follower in followers(contract, on):
        endings += [
            Ending(follower, follower_reason, contract, "follower"),
            *endings_with(follower, on, follower_reason, followers=followers),
        ]
    return endings
