"""Manual one-time fees (after-hours work, long work, travel at cost) that billing charges once."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.admin import HistoryAdmin, admin_link

from ..models import OneTimeFee


@admin.register(OneTimeFee)
class OneTimeFeeAdmin(HistoryAdmin):
    list_display = ("incurred_on", "contract_column", "customer_column", "kind", "amount", "reason")
    list_select_related = ("contract", "contract__customer")
    list_filter = ("kind", "contract__service", ("incurred_on", admin.DateFieldListFilter))
    date_hierarchy = "incurred_on"
    search_fields = ("contract__number", "contract__customer__code", "contract__customer__name", "reason")
    autocomplete_fields = ("contract",)

    def get_readonly_fields(self, request, obj=None):
        """A recorded fee stays on its contract; amount, date and reason may be corrected (the history keeps them)."""
        return ("contract",) if obj else ()

    @admin.display(description=_("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)

    @admin.display(description=_("customer"), ordering="contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.contract.customer)
