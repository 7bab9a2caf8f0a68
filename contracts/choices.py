"""Choices of the contracts domain; the allowed status moves are data beside them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCode(models.TextChoices):
    CXM2 = "cxm2", _("IIJ Cloud Exchange Service / Type M2")
    CLOUD_PROXY = "cloud_proxy", _("IIJ Cloud Proxy Service")
    SMART_HUB = "smart_hub", _("IIJ Private Backbone Service / Smart HUB")
    MANAGED_ROUTER = "managed_router", _("Managed Router Service")
    ISP_PLATFORM = "isp_platform", _("IIJ ISP Platform Service")


class ItemRole(models.TextChoices):
    """What a catalog item is the item of; Cloud Proxy splits parent and child kinds (art. 1, 2)."""

    BASE = "base", _("Base service")
    PARENT = "parent", _("Parent contract")
    TEMPLATE = "template", _("Destination list template")
    BYPASS = "bypass", _("Cloud bypass")
    EXTERNAL = "external", _("External cloud proxy integration")


class BypassPlan(models.TextChoices):
    PLAN1 = "plan1", _("Plan 1")
    PLAN2 = "plan2", _("Plan 2")


class Status(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    ACTIVE = "active", _("In service")
    CANCELLING = "cancelling", _("Cancellation pending")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: The only status moves the lifecycle service performs.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Status.APPLIED: frozenset({Status.ACCEPTED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.ACTIVE, Status.CANCELLING, Status.TERMINATED}),
    Status.ACTIVE: frozenset({Status.CANCELLING, Status.TERMINATED}),
    Status.CANCELLING: frozenset({Status.ACTIVE, Status.TERMINATED}),
    Status.TERMINATED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

#: Statuses in which a contract or option exists for the customer (counts for prerequisites).
LIVE_STATUSES = (Status.ACCEPTED, Status.ACTIVE, Status.CANCELLING)
#: Statuses in which a contract or option may still be edited or be acted on.
OPEN_STATUSES = (Status.APPLIED, *LIVE_STATUSES)


class TerminationReason(models.TextChoices):
    CUSTOMER_REQUEST = "customer_request", _("Customer request")
    GT_ART28_2 = "gt_art28_2", _("General terms art. 28 ¶2")
    GT_ART28_3 = "gt_art28_3", _("General terms art. 28 ¶3")
    ABOLITION = "abolition", _("Service or item abolished")
    CASCADE = "cascade", _("Ended with a related contract")


#: The reasons staff end a row for (the admin's and the API's "terminate"); an abolition and a cascade end rows
#: through their own services.
STAFF_TERMINATION_REASONS = (
    TerminationReason.CUSTOMER_REQUEST,
    TerminationReason.GT_ART28_2,
    TerminationReason.GT_ART28_3,
)

#: The provider-side reasons (general terms art. 28 ¶2/¶3, abolition): a row ending with another keeps them. Whether
#: they waive an early-termination settlement is ``terms.settlement_waived`` (options: where the terms say so).
SETTLEMENT_WAIVED = frozenset({TerminationReason.GT_ART28_2, TerminationReason.GT_ART28_3, TerminationReason.ABOLITION})


class ApplicationType(models.TextChoices):
    ACTIVE = "active", _("Active")
    STANDBY = "standby", _("Standby")


class Route(models.TextChoices):
    OFFICE365 = "office365", _("Office 365 only")
    MICROSOFT = "microsoft", _("Microsoft network")


class Region(models.TextChoices):
    """Provider regions offered as CXM2 locations and Cloud Proxy bypass regions."""

    TOKYO = "tokyo", _("Tokyo")
    OSAKA = "osaka", _("Osaka")


class BuildingType(models.TextChoices):
    DETACHED = "detached", _("Detached houses")
    APARTMENT = "apartment", _("Apartment buildings")


class Area(models.TextChoices):
    """Area divisions (エリア区分) for ISP Platform bandwidth limits."""

    EAST = "east", _("East Japan")
    WEST = "west", _("West Japan")


class LegacyRouterType(models.TextChoices):
    """Managed-router contracts carried over from the pre-2005 terms (附則 2005-05-01)."""

    STANDARD = "router_standard", _("Router service (standard)")
    SINGLE = "router_single", _("Router service (single)")
    DC_STANDARD = "dc_router_standard", _("Data center managed router (standard)")
    DC_SINGLE = "dc_router_single", _("Data center managed router (single)")


class PortLine(models.TextChoices):
    FIBER = "fiber", _("Premises line: fiber")
    INDIVIDUAL = "individual", _("Premises line: individual")


class CloudType(models.TextChoices):
    A_PRIVATE = "a_private", "Type A:Private"
    A_PUBLIC = "a_public", "Type A:Public"
    M_PRIVATE = "m_private", "Type M:Private"
    M_PUBLIC = "m_public", "Type M:Public"
    M2_PUBLIC = "m2_public", "Type M2:Public"


class Interface(models.TextChoices):
    """Port interfaces, declared slowest first: the order is the speed order."""

    MBE100 = "100m", "100MbE"
    MBE300 = "300m", "300MbE"
    MBE500 = "500m", "500MbE"
    GBE1 = "1g", "1GbE"
    GBE2 = "2g", "2GbE"
    GBE5 = "5g", "5GbE"
    GBE10 = "10g", "10GbE"


class Ipv4PortType(models.TextChoices):
    PORTS_12800 = "12800", "12800"
    PORTS_64000 = "64000", "64000"


class PriceOrigin(models.TextChoices):
    """Where a price in force from a day on comes from (``models.DatedPrice``)."""

    ACCEPTANCE = "acceptance", _("Terms at acceptance")
    CHANGE = "change", _("Accepted change")
    AGREEMENT = "agreement", _("Price agreement")
