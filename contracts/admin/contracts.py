from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import BandwidthArea, Contract, ContractChange, ContractOption, Item, OptionKind, Service


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_ja", "name_en", "terms_as_of", "abolished_on")


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_ja", "service", "role", "plan", "min_months", "monthly_fee")
    list_filter = ("service", "role")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(OptionKind)
class OptionKindAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_ja", "service", "min_months", "monthly_fee")
    list_filter = ("service",)
    search_fields = ("code", "name_ja", "name_en")


class OptionInline(admin.TabularInline):
    model = ContractOption
    extra = 0
    fields = ("kind", "status", "applied_on", "billing_start_on", "effective_end_on")
    readonly_fields = ("status", "billing_start_on", "effective_end_on")


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "customer", "service", "item", "status", "applied_on", "billing_start_on")
    list_filter = ("service", "status")
    list_select_related = ("customer", "service", "item")
    search_fields = ("number", "customer__name", "customer__code")
    autocomplete_fields = ("customer", "parent", "standby_of", "related_contract")
    readonly_fields = ("status",)
    inlines = [OptionInline]


@admin.register(ContractOption)
class ContractOptionAdmin(SimpleHistoryAdmin):
    list_display = ("contract", "kind", "status", "applied_on")
    list_filter = ("kind__service", "status")
    list_select_related = ("contract", "kind")
    search_fields = ("contract__number", "contract__customer__name")
    autocomplete_fields = ("contract",)


@admin.register(BandwidthArea)
class BandwidthAreaAdmin(SimpleHistoryAdmin):
    list_display = ("contract", "area", "mbps")
    list_select_related = ("contract",)


@admin.register(ContractChange)
class ContractChangeAdmin(SimpleHistoryAdmin):
    list_display = ("contract", "kind", "accepted_on", "old_value", "new_value", "fee")
    list_select_related = ("contract",)
