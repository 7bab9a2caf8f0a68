"""Customers, their related contracts (関連契約) and their timeline.

Other apps add their parts to these pages (``backoffice.parts``): contracts adds the customer's
contracts, the live-contract count and the action that ends a related contract.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin, Inline, admin_link
from backoffice.keys import object_or_404
from backoffice.timeline import customer_timeline

from .models import Customer, RelatedContract, next_customer_code


class RelatedContractInline(Inline):
    model = RelatedContract
    fields = ("kind", "reference", "started_on", "ended_on", "closed_network", "firewall_item", "isp_business")
    readonly_fields = ("ended_on",)
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ("code", "name", "name_kana", "kind", "status", "created_at")
    export_extra = ("postal_code", "address", "billing_address", "billing_contact_name", "billing_contact_email")
    list_filter = ("kind", "status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("code", "name", "name_kana_key__kana", "address", "failure_contact_email", "billing_contact_email")
    inlines = [RelatedContractInline]
    change_form_template = "admin/customers/customer/change_form.html"

    def get_changeform_initial_data(self, request):
        """A new customer's number is proposed, not typed (``next_customer_code``)."""
        return {"code": next_customer_code(), **super().get_changeform_initial_data(request)}

    def get_urls(self):
        timeline = path(
            "<path:object_id>/timeline/",
            self.admin_site.admin_view(self.timeline_view),
            name="customers_customer_timeline",
        )
        return [timeline, *super().get_urls()]

    def timeline_view(self, request, object_id):
        customer = object_or_404(Customer, pk=object_id)
        if not self.has_view_permission(request, customer):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Timeline"),
            "subtitle": str(customer),
            "opts": self.model._meta,
            "original": customer,
            "events": customer_timeline(customer, request.user),
        }
        return TemplateResponse(request, "admin/customers/customer/timeline.html", context)


@admin.register(RelatedContract)
class RelatedContractAdmin(HistoryAdmin):
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
    )
    list_select_related = ("customer",)
    list_filter = ("kind", ("ended_on", admin.EmptyFieldListFilter), "isp_business", "customer__kind")
    date_hierarchy = "started_on"
    search_fields = ("reference", "customer__code", "customer__name", "closed_network", "firewall_item")
    autocomplete_fields = ("customer",)
    readonly_fields = ("ended_on",)

    @admin.display(description=gettext_lazy("customer"), ordering="customer__code")
    def customer_column(self, obj):
        return admin_link(obj.customer)
