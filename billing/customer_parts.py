"""What billing adds to the customers' admin pages (registered in ``BillingConfig.ready()``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from backoffice.admin import Inline, admin_link

from .models import Invoice


class InvoiceInline(Inline):
    """The customer's invoices, read-only, newest month first; each links to its invoice page."""

    model = Invoice
    fk_name = "customer"
    view_on_site = False
    fields = ("number_link", "month", "issued_on", "due_on", "total")
    readonly_fields = fields
    ordering = ("-month__month",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("month")

    @admin.display(description=gettext_lazy("invoice number"))
    def number_link(self, obj):
        return admin_link(obj, obj.display_number)
