"""The contract and customer columns every record's list shows."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.admin import HistoryAdmin, admin_link

#: What every record list searches and selects with its rows.
CONTRACT_SEARCH = ("contract__number", "contract__customer__code", "contract__customer__name", "note")
CONTRACT_RELATED = ("contract", "contract__customer")


class RecordAdmin(HistoryAdmin):
    """A record list with its contract and customer; a record stays on its contract once saved."""

    autocomplete_fields = ("contract",)

    def get_readonly_fields(self, request, obj=None):
        return ("contract",) if obj else ()

    @admin.display(description=_("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)

    @admin.display(description=_("customer"), ordering="contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.contract.customer)
