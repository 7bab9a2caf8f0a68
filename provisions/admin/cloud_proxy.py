"""Cloud Proxy records: the registered IPv4 addresses (art. 8)."""

from django.contrib import admin

from ..models import RegisteredAddress
from .columns import CONTRACT_RELATED, CONTRACT_SEARCH, RecordAdmin


@admin.register(RegisteredAddress)
class RegisteredAddressAdmin(RecordAdmin):
    list_display = ("network", "contract_column", "customer_column", "registered_on", "withdrawn_on")
    list_select_related = CONTRACT_RELATED
    list_filter = (("withdrawn_on", admin.EmptyFieldListFilter), ("registered_on", admin.DateFieldListFilter))
    search_fields = (*CONTRACT_SEARCH, "network")
