from .catalog import Item, OptionKind, Service
from .change import Abolition, ChangeKind, ContractChange
from .charge import OneTimeFee, OneTimeFeeKind
from .contract import BandwidthArea, Contract
from .option import ContractOption

__all__ = [
    "Abolition",
    "ChangeKind",
    "ContractChange",
    "BandwidthArea",
    "Contract",
    "ContractOption",
    "OneTimeFee",
    "OneTimeFeeKind",
    "Item",
    "OptionKind",
    "Service",
]
