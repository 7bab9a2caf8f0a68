"""Usage report requests (ISP Platform art. 15), traffic measurements and proposals (CXM2 art. 15, ISP art. 14),
cloud disclosures of Smart HUB cloud ports (art. 4 ¶3)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.admin import HistoryAdmin, admin_link

from ..models import CloudDisclosure, TrafficMeasurement, UsageReportRequest
from .columns import CONTRACT_RELATED, CONTRACT_SEARCH, RecordAdmin


@admin.register(UsageReportRequest)
class UsageReportRequestAdmin(RecordAdmin):
    list_display = ("requested_on", "contract_column", "customer_column", "requested", "replied_on")
    list_select_related = CONTRACT_RELATED
    list_filter = (("replied_on", admin.EmptyFieldListFilter), ("requested_on", admin.DateFieldListFilter))
    search_fields = (*CONTRACT_SEARCH, "requested", "reply")


@admin.register(TrafficMeasurement)
class TrafficMeasurementAdmin(RecordAdmin):
    list_display = (
        "measured_until",
        "contract_column",
        "customer_column",
        "peak_mbps",
        "tight",
        "proposed_on",
    )
    list_select_related = CONTRACT_RELATED
    list_filter = ("contract__service", "tight", ("proposed_on", admin.EmptyFieldListFilter))
    search_fields = (*CONTRACT_SEARCH, "proposal")


@admin.register(CloudDisclosure)
class CloudDisclosureAdmin(HistoryAdmin):
    list_display = ("disclosed_on", "port_column", "customer_column", "cloud_account", "changed_on")
    list_select_related = ("option__contract__customer", "option__kind")
    list_filter = (("disclosed_on", admin.DateFieldListFilter), ("changed_on", admin.EmptyFieldListFilter))
    search_fields = ("option__contract__number", "option__contract__customer__name", "cloud_account", "information")
    autocomplete_fields = ("option",)

    def get_readonly_fields(self, request, obj=None):
        return ("option",) if obj else ()

    @admin.display(description=_("cloud connection port"), ordering="option__contract__number")
    def port_column(self, obj):
        return admin_link(obj.option)

    @admin.display(description=_("customer"), ordering="option__contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.option.contract.customer)
