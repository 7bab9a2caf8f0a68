from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerKind(models.TextChoices):
    CORPORATE = "corporate", _("Corporate")
    INDIVIDUAL = "individual", _("Individual")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class RelatedKind(models.TextChoices):
    """Prerequisite services the five terms refer to but do not define (SPEC preamble)."""

    PBB = "pbb", _("IIJ Private Backbone Service")
    MANAGED_FIREWALL = "managed_firewall", _("IIJ Managed Firewall Service")
    INTERNET_ACCESS = "internet_access", _("IIJ Internet Access Service")
    CONNECTIVITY = "connectivity", _("IIJ internet connectivity service")
    DATA_CENTER = "data_center", _("IIJ Data Center Connection Service")
