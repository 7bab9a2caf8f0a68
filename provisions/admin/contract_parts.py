"""The records shown on the page of the contract they concern (``ready()`` adds them): read-only lists,
each only on the contracts of its service; records are added on their own pages, where the rules run."""

from django.utils.translation import gettext_lazy as _

from backoffice.admin import Inline

from ..models import (
    CloudDisclosure,
    Consent,
    InstallationSite,
    RegisteredAddress,
    TrafficMeasurement,
    UnavailabilityNotice,
    UsageReportRequest,
)
from ..models.smart_hub import CLOUD_PORT


class RecordInline(Inline):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """Shown on the contracts the record is kept for only."""
        model = self.model
        kept = obj is None or (
            obj.service_id in model.services and (not model.item_role or obj.item.role == model.item_role)
        )
        return kept and super().has_view_permission(request, obj)


class SiteInline(RecordInline):
    model = InstallationSite
    fields = ("installed_from", "postal_code", "address", "consent")
    readonly_fields = fields
    verbose_name_plural = _("router installation sites")


class ConsentInline(RecordInline):
    model = Consent
    fields = ("given_on", "kind", "what", "given_by")
    readonly_fields = fields
    verbose_name_plural = _("router consents")


class NoticeInline(RecordInline):
    model = UnavailabilityNotice
    fields = ("starts_at", "ends_at", "cause", "reason", "notified_on", "emergency")
    readonly_fields = fields
    verbose_name_plural = _("advance notices of unavailability")


class AddressInline(RecordInline):
    model = RegisteredAddress
    fields = ("network", "registered_on", "withdrawn_on")
    readonly_fields = fields
    verbose_name_plural = _("registered IPv4 addresses")


class UsageReportInline(RecordInline):
    model = UsageReportRequest
    fields = ("requested_on", "requested", "replied_on", "reply")
    readonly_fields = fields
    verbose_name_plural = _("usage report requests")


class MeasurementInline(RecordInline):
    model = TrafficMeasurement
    fields = ("measured_from", "measured_until", "peak_mbps", "tight", "proposed_on", "proposal")
    readonly_fields = fields
    verbose_name_plural = _("traffic measurements")


class DisclosureInline(RecordInline):
    model = CloudDisclosure
    fields = ("cloud_account", "information", "disclosed_on", "changed_on")
    readonly_fields = fields
    verbose_name_plural = _("cloud disclosures")

    def has_view_permission(self, request, obj=None):
        """Shown on cloud connection ports only."""
        kept = obj is None or obj.kind_id == CLOUD_PORT
        return kept and super(RecordInline, self).has_view_permission(request, obj)


CONTRACT_INLINES = (SiteInline, ConsentInline, NoticeInline, AddressInline, UsageReportInline, MeasurementInline)
OPTION_INLINES = (DisclosureInline,)
