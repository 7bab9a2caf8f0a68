from .catalog import Item, OptionKind, Service
from .change import Abolition, ChangeKind, ContractChange
from .charge import OneTimeFee, OneTimeFeeKind
from .contract import CONTRACT_TRACKED, BandwidthArea, Contract
from .option import OPTION_TRACKED, ContractOption

__all__ = [
    "CONTRACT_TRACKED",
    "OPTION_TRACKED",
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
