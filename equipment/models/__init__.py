from .charges import Charge, PriceListEntry, RentalCancellationFee
from .incidents import FollowUp, Incident
from .units import ReturnReminder, Unit, UnitEvent, UnitModel

__all__ = [
    "Charge",
    "FollowUp",
    "Incident",
    "PriceListEntry",
    "RentalCancellationFee",
    "ReturnReminder",
    "Unit",
    "UnitEvent",
    "UnitModel",
]
