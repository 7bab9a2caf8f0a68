"""Customers, their related contracts (関連契約), their contracts and their timeline."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.admin.actions import StepActionPermissions, end_related_contract
from contracts.admin.base import HistoryAdmin, admin_link, count_of
from contracts.choices import LIVE_STATUSES
from contracts.models import Contract
from contracts.timeline import customer_timeline

from .models import Customer, RelatedContract


class RelatedContractInline(admin.TabularInline):
    model = RelatedContract
    extra = 0
    fields = ("kind", "reference", "started_on", "ended_on", "closed_network", "firewall_item", "isp_business")
    readonly_fields = ("ended_on",)
    show_change_link = True


class ContractInline(admin.TabularInline):
    """The customer's contracts, read-only; each links to its contract page."""

    model = Contract
    fk_name = "customer"
    view_on_site = False
    extra = 0
    fields = ("number_link", "service", "item", "status", "applied_on", "billing_start_on", "effective_end_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service", "item")

    @admin.display(description=gettext_lazy("contract number"))
    def number_link(self, obj):
        return admin_link(obj, obj.number)


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ("code", "name", "name_kana", "kind", "status", "live_contracts", "created_at")
    list_filter = ("kind", "status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("code", "name", "name_kana", "address", "failure_contact_email", "billing_contact_email")
    inlines = [RelatedContractInline, ContractInline]
    change_form_template = "admin/customers/customer/change_form.html"

    def get_queryset(self, request):
        live = count_of(Contract, "customer", status__in=LIVE_STATUSES)
        return super().get_queryset(request).annotate(live_contract_count=live)

    @admin.display(description=gettext_lazy("live contracts"), ordering="live_contract_count")
    def live_contracts(self, obj):
        return obj.live_contract_count

    def get_urls(self):
        timeline = path(
            "<path:object_id>/timeline/",
            self.admin_site.admin_view(self.timeline_view),
            name="customers_customer_timeline",
        )
        return [timeline, *super().get_urls()]

    def timeline_view(self, request, object_id):
        customer = get_object_or_404(Customer, pk=object_id)
        if not self.has_view_permission(request, customer):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Timeline"),
            "subtitle": str(customer),
            "opts": self.model._meta,
            "original": customer,
            "events": customer_timeline(customer),
        }
        return TemplateResponse(request, "admin/customers/customer/timeline.html", context)


@admin.register(RelatedContract)
class RelatedContractAdmin(StepActionPermissions, HistoryAdmin):
    """Related contracts end only through the action, which applies what the terms say follows."""

    list_display = (
        "__str__",
        "customer_column",
        "kind",
        "started_on",
        "ended_on",
        "closed_network",
        "firewall_item",
        "isp_business",
        "contract_count",
    )
    list_select_related = ("customer",)
    list_filter = ("kind", ("ended_on", admin.EmptyFieldListFilter), "isp_business", "customer__kind")
    date_hierarchy = "started_on"
    search_fields = ("reference", "customer__code", "customer__name", "closed_network", "firewall_item")
    autocomplete_fields = ("customer",)
    readonly_fields = ("ended_on",)
    actions = [end_related_contract]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contract_count=count_of(Contract, "related_contract"))

    @admin.display(description=gettext_lazy("customer"), ordering="customer__code")
    def customer_column(self, obj):
        return admin_link(obj.customer)

    @admin.display(description=gettext_lazy("contracts"), ordering="contract_count")
    def contract_count(self, obj):
        return obj.contract_count
