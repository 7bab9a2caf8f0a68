"""Invoices and their lines: read-only pages, the stored document, and the correction action.

An issued invoice shows its stored figures; an open one (not issued, its totals not fixed yet) shows
its running figures, marked as an estimate: its lines counted as closing would issue them now
(``billing.figures``), read with the list's own queries (one for the lines of the open invoices shown).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, OuterRef, Prefetch, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override

from backoffice.admin import HistoryAdmin, Inline, ReadOnly, admin_link, count_of
from backoffice.display import yen
from backoffice.keys import object_or_404
from contracts.choices import ServiceCode
from jobs.pages import job_link

from ..figures import Figures, provisional_yen, running_figures
from ..models import Invoice, InvoiceDocument, InvoiceLine, InvoiceTax
from ..rendering import job_of
from .actions import CORRECT

#: A stored invoice page is shown as issued, in a sandbox: its own inline styles and nothing else (no
#: script, no request to anywhere, no access to the admin's origin), whatever its text holds.
STORED_DOCUMENT_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "sandbox": True,
}


class LineInline(ReadOnly, Inline):
    model = InvoiceLine
    fk_name = "invoice"
    fields = ("occurred_on", "kind", "description", "quantity", "unit_price", "amount", "tax_rate", "adjusts")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("adjusts")


class TaxInline(ReadOnly, Inline):
    model = InvoiceTax
    fields = ("rate", "taxable", "tax")
    readonly_fields = fields


def _subtotal_shown():
    """The amount before tax each row shows: stored once issued, else the sum of its lines so far."""
    lines = InvoiceLine.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice").annotate(t=Sum("amount"))
    return Case(When(number__isnull=True, then=Coalesce(Subquery(lines.values("t")), 0)), default=F("subtotal"))


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly, HistoryAdmin):
    list_display = (
        "number_column",
        "customer_column",
        "month",
        "issued_on",
        "due_on",
        "line_count",
        "subtotal_column",
        "tax_column",
        "total_column",
    )
    list_select_related = ("customer", "month")
    list_filter = ("month", "month__state", ("issued_on", admin.DateFieldListFilter))
    search_fields = ("number", "customer__code", "customer__name", "customer_name")
    inlines = [LineInline, TaxInline]
    readonly_fields = (
        "number_column",
        "customer",
        "month",
        "issued_on",
        "due_on",
        "period_start",
        "period_end",
        "subtotal",
        "tax",
        "total",
        "issuer_name",
        "issuer_registration_number",
        "customer_name",
        "document_links",
        "estimate",
    )
    ISSUED_FIGURES = ("subtotal", "tax", "total")

    def get_fields(self, request, obj=None):
        """An open invoice has no figures of its own yet: its estimate stands where they will be."""
        if obj is not None and obj.number is None:
            return [name for name in self.readonly_fields if name not in self.ISSUED_FIGURES]
        return [name for name in self.readonly_fields if name != "estimate"]

    def get_queryset(self, request):
        open_lines = (
            InvoiceLine.objects.filter(invoice__number__isnull=True).order_by().only("invoice", "amount", "tax_rate")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(n_lines=count_of(InvoiceLine, "invoice"), subtotal_shown=_subtotal_shown())
            .prefetch_related(Prefetch("lines", queryset=open_lines, to_attr="open_lines"))
        )

    @staticmethod
    def running(obj) -> Figures | None:
        """An open invoice's figures as closing would issue them now; None once issued."""
        return running_figures(obj.open_lines) if obj.number is None else None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/document/<str:kind>/", view(self.document_view), name="billing_invoice_document"),
            *super().get_urls(),
        ]

    @method_decorator(csp_override(STORED_DOCUMENT_CSP))
    def document_view(self, request, object_id, kind):
        """The stored page or PDF exactly as issued, after checking its checksum."""
        if not request.user.has_perm("billing.view_invoicedocument") or kind not in ("html", "pdf"):
            raise PermissionDenied
        invoice = object_or_404(Invoice.objects.all(), pk=object_id)
        document = InvoiceDocument.objects.filter(invoice=invoice).first()
        if document is None:
            self.message_user(request, _("The document is not rendered yet: try again in a moment."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:billing_invoice_change", args=[invoice.pk]))
        if not document.intact():
            self.message_user(
                request, _("The stored document no longer matches its checksum: it is not shown."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:billing_invoice_change", args=[document.invoice_id]))
        if kind == "html":
            return HttpResponse(document.html, content_type="text/html; charset=utf-8")
        response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.number:08d}.pdf"'
        return response

    @admin.display(description=gettext_lazy("document"))
    def document_links(self, obj):
        if obj.number is None:
            return _("Written when the month closes.")
        if not InvoiceDocument.objects.filter(invoice=obj).exists():
            return job_link(_("Being rendered by the workers."), job_of(obj.month))
        url = reverse("admin:billing_invoice_document", args=[obj.pk, "html"])
        pdf = reverse("admin:billing_invoice_document", args=[obj.pk, "pdf"])
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>', url, _("page"), pdf, _("PDF"))

    @admin.display(description=gettext_lazy("invoice number"), ordering="number")
    def number_column(self, obj):
        return obj.display_number

    @admin.display(description=gettext_lazy("customer"), ordering="customer__code")
    def customer_column(self, obj):
        return admin_link(obj.customer)

    @admin.display(description=gettext_lazy("lines"), ordering="n_lines")
    def line_count(self, obj):
        return obj.n_lines

    @admin.display(description=gettext_lazy("amount before tax"), ordering="subtotal_shown")
    def subtotal_column(self, obj):
        running = self.running(obj)
        return provisional_yen(running.subtotal) if running else yen(obj.subtotal)

    @admin.display(description=gettext_lazy("consumption tax"))
    def tax_column(self, obj):
        running = self.running(obj)
        return provisional_yen(running.tax) if running else yen(obj.tax)

    @admin.display(description=gettext_lazy("total"))
    def total_column(self, obj):
        running = self.running(obj)
        return provisional_yen(running.total) if running else yen(obj.total)

    @admin.display(description=gettext_lazy("as it would be issued"))
    def estimate(self, obj):
        """The open invoice's figures if its month closed now (an estimate: the run may still add lines)."""
        running = self.running(obj)
        if running is None:
            return "-"
        rows = [
            (_("%(rate)s%% items") % {"rate": rate}, yen(taxable), yen(tax))
            for rate, (taxable, tax) in sorted(running.taxes.items(), reverse=True)
        ]
        return format_html(
            "<p>{}</p><table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}"
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr></tbody></table><p>{} {}</p>",
            _("Estimate: not issued yet; the figures closing would issue if the month closed now."),
            _("Total before tax"),
            _("Consumption tax"),
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows),
            _("Total"),
            yen(running.subtotal),
            yen(running.tax),
            _("Amount billed (tax included)"),
            provisional_yen(running.total),
        )


def service_name(code: str) -> str:
    """A line's service by its name, as the catalog calls it (a line of no service shows a dash)."""
    return ServiceCode(code).label if code in ServiceCode.values else code or "—"


class ServiceFilter(admin.SimpleListFilter):
    title = gettext_lazy("service")
    parameter_name = "service_code"

    def lookups(self, request, model_admin):
        return ServiceCode.choices

    def queryset(self, request, queryset):
        return queryset.filter(service_code=self.value()) if self.value() else queryset


@admin.register(InvoiceLine)
class InvoiceLineAdmin(ReadOnly, HistoryAdmin):
    list_display = (
        "occurred_on",
        "description",
        "invoice_column",
        "month",
        "kind",
        "service_column",
        "amount_column",
        "tax_rate",
        "adjusts",
    )
    list_select_related = ("invoice", "invoice__customer", "month", "adjusts")
    list_filter = ("kind", ServiceFilter, "month", "month__state")
    search_fields = ("source_key", "description", "invoice__customer__code", "invoice__customer__name")
    actions = [CORRECT.as_admin_action()]
    readonly_fields = (
        "invoice",
        "month",
        "source_key",
        "kind",
        "description",
        "occurred_on",
        "contract",
        "service_column",
        "quantity",
        "unit_price",
        "amount",
        "tax_rate",
        "adjusts",
        "reason",
        "created_by",
    )
    fields = readonly_fields

    @admin.display(description=gettext_lazy("invoice"), ordering="invoice__number")
    def invoice_column(self, obj):
        return admin_link(obj.invoice, f"{obj.invoice.display_number} {obj.invoice.customer}")

    @admin.display(description=gettext_lazy("service"), ordering="service_code")
    def service_column(self, obj):
        return service_name(obj.service_code)

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_column(self, obj):
        return yen(obj.amount)
