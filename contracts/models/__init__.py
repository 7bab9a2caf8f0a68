from .catalog import Item, OptionKind, Service
from .change import BANDWIDTH_ATTRIBUTE, Abolition, ChangeKind, ContractChange
from .charge import OneTimeFee, OneTimeFeeKind
from .contract import CONTRACT_TRACKED, BandwidthArea, Contract
from .option import OPTION_TRACKED, ContractOption
from .prices import DatedPrice, PriceOrigin

__all__ = [
    "CONTRACT_TRACKED",
    "OPTION_TRACKED",
    "Abolition",
    "BANDWIDTH_ATTRIBUTE",
    "ChangeKind",
    "ContractChange",
    "BandwidthArea",
    "Contract",
    "ContractOption",
    "DatedPrice",
    "PriceOrigin",
    "OneTimeFee",
    "OneTimeFeeKind",
    "Item",
    "OptionKind",
    "Service",
]
