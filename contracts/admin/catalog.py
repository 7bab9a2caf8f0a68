"""The catalog (services, items, option kinds): list prices staff edit; contracts freeze them on acceptance."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.admin import HistoryAdmin, count_of

from ..models import Item, OptionKind, Service

PRICE_COLUMNS = ("min_months", "notice_days", "prorated", "initial_fee", "monthly_fee", "change_fee", "abolished_on")
#: Notice days follow the catalog's notice table (``catalog_data``), which names the article: not edited here.
TERMS_READONLY = ("notice_days",)


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    list_display = ("code", "name_ja", "name_en", "terms_as_of", "abolished_on", "item_count", "option_kind_count")
    list_filter = (("abolished_on", admin.EmptyFieldListFilter),)
    search_fields = ("code", "name_ja", "name_en")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(item_count=count_of(Item, "service"), option_kind_count=count_of(OptionKind, "service"))
        )

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("option kinds"), ordering="option_kind_count")
    def option_kind_count(self, obj):
        return obj.option_kind_count


@admin.register(Item)
class ItemAdmin(HistoryAdmin):
    list_display = ("code", "name_ja", "name_en", "service", "role", "plan", *PRICE_COLUMNS)
    list_select_related = ("service",)
    list_filter = ("service", "role", "plan", "prorated", ("abolished_on", admin.EmptyFieldListFilter))
    search_fields = ("code", "name_ja", "name_en")
    readonly_fields = TERMS_READONLY


@admin.register(OptionKind)
class OptionKindAdmin(HistoryAdmin):
    list_display = ("code", "name_ja", "name_en", "service", *PRICE_COLUMNS, "cancellation_fee")
    list_select_related = ("service",)
    list_filter = ("service", "prorated", ("abolished_on", admin.EmptyFieldListFilter))
    search_fields = ("code", "name_ja", "name_en")
    readonly_fields = TERMS_READONLY
