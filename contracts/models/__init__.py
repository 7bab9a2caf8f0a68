from .catalog import Item, OptionKind, Service
from .change import BANDWIDTH_ATTRIBUTE, Abolition, ChangeKind, ContractChange
from .charge import OneTimeFee, OneTimeFeeKind
from .contract import CONTRACT_TRACKED, BandwidthArea, Contract
from .option import OPTION_ATTRIBUTES, OPTION_TRACKED, ContractOption
from .prices import DatedPrice, PriceOrigin
from .service_attributes import ATTRIBUTES

__all__ = [
    "ATTRIBUTES",
    "OPTION_ATTRIBUTES",
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
