"""Managed Router records: installation sites, consents (art. 7 ¶1) and advance notices (art. 13 ¶2)."""

from django.contrib import admin

from ..models import Consent, InstallationSite, UnavailabilityNotice
from .columns import CONTRACT_RELATED, CONTRACT_SEARCH, RecordAdmin


@admin.register(InstallationSite)
class InstallationSiteAdmin(RecordAdmin):
    list_display = ("installed_from", "contract_column", "customer_column", "postal_code", "address", "consent")
    list_select_related = (*CONTRACT_RELATED, "consent", "consent__contract")
    list_filter = (("installed_from", admin.DateFieldListFilter), ("consent", admin.EmptyFieldListFilter))
    search_fields = (*CONTRACT_SEARCH, "address", "postal_code")
    autocomplete_fields = ("contract", "consent")


@admin.register(Consent)
class ConsentAdmin(RecordAdmin):
    list_display = ("given_on", "contract_column", "customer_column", "kind", "what", "given_by")
    list_select_related = (*CONTRACT_RELATED, "given_by")
    list_filter = ("kind", ("given_on", admin.DateFieldListFilter))
    search_fields = (*CONTRACT_SEARCH, "what")

    def get_readonly_fields(self, request, obj=None):
        return ("contract", "given_by") if obj else ("given_by",)

    def save_model(self, request, obj, form, change):
        """The staff member recording the consent gave it."""
        if obj.given_by_id is None:
            obj.given_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(UnavailabilityNotice)
class UnavailabilityNoticeAdmin(RecordAdmin):
    list_display = ("starts_at", "ends_at", "contract_column", "customer_column", "cause", "notified_on", "emergency")
    list_select_related = CONTRACT_RELATED
    list_filter = ("cause", "emergency", ("starts_at", admin.DateFieldListFilter))
    search_fields = (*CONTRACT_SEARCH, "reason")
