"""Records the terms call for that have no other place: what staff kept on paper, each with its history."""

from .cloud_proxy import RegisteredAddress
from .managed_router import Consent, ConsentKind, InstallationSite, UnavailabilityCause, UnavailabilityNotice
from .smart_hub import CloudDisclosure
from .usage import TrafficMeasurement, UsageReportRequest

__all__ = [
    "CloudDisclosure",
    "Consent",
    "ConsentKind",
    "InstallationSite",
    "RegisteredAddress",
    "TrafficMeasurement",
    "UnavailabilityCause",
    "UnavailabilityNotice",
    "UsageReportRequest",
]
