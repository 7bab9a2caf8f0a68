from .charges import Charge, PriceListEntry, RentalCancellationFee
from .incidents import Incident
from .units import ReturnReminder, Unit, UnitEvent, UnitModel

__all__ = [
    "Charge",
    "Incident",
    "PriceListEntry",
    "RentalCancellationFee",
    "ReturnReminder",
    "Unit",
    "UnitEvent",
    "UnitModel",
]
