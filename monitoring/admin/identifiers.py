"""Network identifiers: recorded by sales and support on their own page (the rules run there), listed on the
contract's page, searched by any of their parts."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin, admin_link

from ..models import NetworkIdentifier


@admin.register(NetworkIdentifier)
class NetworkIdentifierAdmin(HistoryAdmin):
    list_display = ("contract_column", "customer_column", "circuit_id", "device", "port", "option", "note")
    list_select_related = ("contract__customer", "option__kind")
    list_filter = ("contract__service",)
    search_fields = ("circuit_id", "device", "port", "contract__number", "contract__customer__name", "note")
    autocomplete_fields = ("contract", "option")
    fields = ("contract", "option", "circuit_id", "device", "port", "note")

    @admin.display(description=gettext_lazy("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)

    @admin.display(description=gettext_lazy("customer"), ordering="contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.contract.customer)
