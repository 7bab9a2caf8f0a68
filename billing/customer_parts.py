"""What billing adds to the customers' admin pages (registered in ``BillingConfig.ready()``)."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from backoffice.admin import Inline, admin_link
from backoffice.display import yen

from .figures import provisional_yen, running_figures
from .models import Invoice, InvoiceLine


class InvoiceInline(Inline):
    """The customer's invoices, read-only, newest month first; each links to its invoice page. An open invoice
    has no total of its own yet: it shows its running total, marked provisional, as the invoice pages do."""

    model = Invoice
    fk_name = "customer"
    view_on_site = False
    fields = ("number_link", "month", "issued_on", "due_on", "total_shown")
    readonly_fields = fields
    ordering = ("-month__month",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        open_lines = InvoiceLine.objects.filter(invoice__number__isnull=True).only("invoice", "amount", "tax_rate")
        return (
            super()
            .get_queryset(request)
            .select_related("month")
            .prefetch_related(Prefetch("lines", queryset=open_lines.order_by(), to_attr="open_lines"))
        )

    @admin.display(description=gettext_lazy("total"))
    def total_shown(self, obj):
        return yen(obj.total) if obj.number is not None else provisional_yen(running_figures(obj.open_lines).total)

    @admin.display(description=gettext_lazy("invoice number"))
    def number_link(self, obj):
        return admin_link(obj, obj.display_number)
