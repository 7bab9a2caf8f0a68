from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Customer, RelatedContract


class RelatedContractInline(admin.TabularInline):
    model = RelatedContract
    extra = 0
    fields = ("kind", "reference", "started_on", "ended_on", "closed_network", "firewall_item", "isp_business")


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("code", "name", "name_kana")
    inlines = [RelatedContractInline]


@admin.register(RelatedContract)
class RelatedContractAdmin(SimpleHistoryAdmin):
    list_display = ("customer", "kind", "reference", "started_on", "ended_on")
    list_filter = ("kind",)
    list_select_related = ("customer",)
    search_fields = ("reference", "customer__name", "customer__code", "closed_network")
    autocomplete_fields = ("customer",)
