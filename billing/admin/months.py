"""Billing months: open one, run it (or dry-run it), close it."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from backoffice.admin import HistoryAdmin, count_of
from backoffice.display import yen
from jobs.pages import job_link

from ..models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine
from ..rendering import job_of
from .actions import CLOSE, DRY_RUN, RUN


def _lines_total():
    rows = InvoiceLine.objects.filter(month=OuterRef("pk")).order_by().values("month").annotate(t=Sum("amount"))
    return Coalesce(Subquery(rows.values("t")), 0)


@admin.register(BillingMonth)
class BillingMonthAdmin(HistoryAdmin):
    list_display = (
        "__str__",
        "state",
        "invoice_count",
        "documents",
        "lines_total",
        "last_run_at",
        "last_run_by",
        "closed_at",
        "closed_by",
    )
    list_select_related = ("last_run_by", "closed_by")
    list_filter = ("state",)
    search_fields = ("month",)
    actions = [RUN.as_admin_action(), DRY_RUN.as_admin_action(), CLOSE.as_admin_action()]
    fields = ("month", "state", "documents_rendering", "last_run_at", "last_run_by", "closed_at", "closed_by")

    def get_readonly_fields(self, request, obj=None):
        """A month is opened by its first day; everything else moves through the actions."""
        return self.fields if obj else self.fields[1:]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_invoices=count_of(Invoice, "month"),
                n_documents=count_of(InvoiceDocument, "invoice__month"),
                total=_lines_total(),
            )
        )

    @admin.display(description=_("documents"))
    def documents(self, obj):
        """A closed month's rendered documents of its invoices ("3,120 / 5,000" while the workers render)."""
        return f"{obj.n_documents:,} / {obj.n_invoices:,}" if obj.is_closed else "—"

    @admin.display(description=_("documents"))
    def documents_rendering(self, obj):
        if obj is None or not obj.is_closed:
            return "—"
        return job_link(self.documents(obj), job_of(obj))

    @admin.display(description=_("invoices"), ordering="n_invoices")
    def invoice_count(self, obj):
        return obj.n_invoices

    @admin.display(description=_("total before tax"), ordering="total")
    def lines_total(self, obj):
        return yen(obj.total)
