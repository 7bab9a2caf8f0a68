from .catalog import Item, OptionKind, Service
from .change import Abolition, ChangeKind, ContractChange
from .contract import BandwidthArea, Contract
from .option import ContractOption

__all__ = [
    "Abolition",
    "ChangeKind",
    "ContractChange",
    "BandwidthArea",
    "Contract",
    "ContractOption",
    "Item",
    "OptionKind",
    "Service",
]
