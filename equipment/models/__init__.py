from .charges import Charge, PriceListEntry
from .incidents import FollowUp, Incident
from .units import ReturnReminder, Unit, UnitEvent, UnitModel

__all__ = [
    "Charge",
    "FollowUp",
    "Incident",
    "PriceListEntry",
    "ReturnReminder",
    "Unit",
    "UnitEvent",
    "UnitModel",
]
