"""What ends together with a contract or a related contract (関連契約), by the terms or a recorded decision.

A cascade only reads: it returns the live contracts that end with the row, and never refuses
(refusals are the end guards' business, in ``hooks``). One cascade per service or related kind.
"""

from collections.abc import Callable
from datetime import date

from customers.choices import RelatedKind
from customers.models import RelatedContract

from ..choices import ServiceCode
from ..models import Contract
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
