"""The posted journals (read-only: what accounting received) with their exports (CSV, Excel, 弥生会計) and the
act that posts a month (a confirmation showing its figures, then a job); the refunds of credit, recorded
through the service, and the bank's transfer file (全銀協 総合振込) of the refunds chosen."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, Inline, RecordInline, admin_link, refusal_text
from backoffice.display import date_text, yen
from backoffice.exports import csv_lines, xlsx_response

from .. import journal
from ..models import JournalBatch, JournalLine, Refund, RefundPart
from ..services.credits import credit_held
from ..services.refunds import cancel_refund, record_refund, transfer_file
from .acts import POST
from .forms import ReasonForm
from .receivables import ActsAdmin


class JournalLineInline(RecordInline):
    """A posted month's lines, each account named as the accounting software's chart names it."""

    model = JournalLine
    fields = ("voucher", "date", "side", "account_name", "sub", "tax", "amount", "text", "late")
    ordering = ("line",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(voucher__isnull=False)

    @admin.display(description=gettext_lazy("account"))
    def account_name(self, obj):
        return journal.account_names().get(obj.account, obj.account)


def _export(lines, month, fmt):
    name = f"journal-{month:%Y-%m}"
    if fmt == "xlsx":
        return xlsx_response(
            f"{name}.xlsx", journal.COLUMNS, journal.table(lines), sheet=f"仕訳 {journal.book_month(month)}"
        )
    if fmt == "yayoi":
        response = HttpResponse(journal.yayoi_csv(lines), content_type="text/csv; charset=shift_jis")
        response["Content-Disposition"] = f'attachment; filename="{name}-yayoi.csv"'
        return response
    response = HttpResponse("".join(csv_lines(journal.COLUMNS, journal.table(lines))), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@admin.register(JournalBatch)
class JournalBatchAdmin(ActsAdmin):
    list_display = ("__str__", "first_voucher", "last_voucher", "debit_yen", "posted_at", "posted_by", "downloads")
    list_select_related = ("posted_by",)
    list_filter = (("posted_at", admin.DateFieldListFilter),)
    search_fields = ("month", "posted_by__username")
    date_hierarchy = "month"
    inlines = [JournalLineInline]
    readonly_fields = ("month", "first_voucher", "last_voucher", "debit_total", "credit_total", "posted_at",
                       "posted_by", "downloads")  # fmt: skip
    acts = (POST,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/export/<str:fmt>/", view(self.export_view), name="receivables_journalbatch_export"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("debits = credits"))
    def debit_yen(self, obj):
        return yen(obj.debit_total)

    @admin.display(description=gettext_lazy("export"))
    def downloads(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        links = ((reverse("admin:receivables_journalbatch_export", args=[obj.pk, fmt]), label)
                 for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"), ("yayoi", _("弥生会計"))))  # fmt: skip
        return format_html_join(" | ", '<a href="{}">{}</a>', links)

    def export_view(self, request, pk, fmt):
        batch = get_object_or_404(JournalBatch, pk=pk)
        if fmt not in journal.FORMATS or not self.has_view_permission(request, batch):
            raise PermissionDenied
        return _export(journal.posted(batch), batch.month, fmt)


def _cancel(refund, data, user):
    cancel_refund(refund, reason=data["reason"], by=user)
    return _("cancelled: %(amount)s is the customer's credit again") % {"amount": yen(refund.amount)}


CANCEL = StepAction(
    "cancel", gettext_lazy("Cancel the refund before its transfer day (with a reason)"), ReasonForm, _cancel,
    permission="add",
)  # fmt: skip


class RefundPartInline(Inline):
    model = RefundPart
    fields = ("credit", "amount")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=gettext_lazy("Write the bank transfer file (全銀協 総合振込)"),
              permissions=["transfer_file"])  # fmt: skip
def write_transfer_file(modeladmin, request, queryset):
    refunds = list(queryset.select_related("customer", "cancellation").order_by("pk"))
    days = {refund.transfer_on for refund in refunds}
    if len(days) != 1:
        modeladmin.message_user(request, _("Choose the refunds of one transfer date."), messages.ERROR)
        return None
    day = days.pop()
    try:
        content = transfer_file(refunds, day)
    except ValidationError as exc:
        modeladmin.message_user(request, refusal_text(exc), messages.ERROR)
        return None
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="sogofurikomi-{day:%Y%m%d}.txt"'
    return response


class RefundForm(forms.ModelForm):
    class Meta:
        model = Refund
        fields = ("customer", "amount", "transfer_on", "bank_code", "bank_name", "branch_code", "branch_name",
                  "account_type", "account_number", "account_holder", "reason")  # fmt: skip

    def clean(self):
        data = super().clean()
        customer, amount = data.get("customer"), data.get("amount")
        if customer and amount and amount > credit_held(customer.pk):
            self.add_error(
                "amount",
                _("The customer holds %(held)s of credit: a refund is at most that.")
                % {"held": yen(credit_held(customer.pk))},
            )
        return data


class CancelledFilter(admin.SimpleListFilter):
    title = gettext_lazy("cancelled")
    parameter_name = "cancelled"

    def lookups(self, request, model_admin):
        return [("no", _("To transfer")), ("yes", _("Cancelled"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.live()
        if self.value() == "yes":
            return queryset.filter(cancellation__isnull=False)
        return queryset


@admin.register(Refund)
class RefundAdmin(HistoryAdmin):
    """Refunds are recorded here (through the service: the credit is locked and spent) and never changed."""

    list_display = ("transfer_on", "customer_link", "amount_yen", "bank_code", "branch_code", "account_number",
                    "account_holder", "created_by", "created_at", "cancelled")  # fmt: skip
    list_select_related = ("customer", "created_by", "cancellation")
    list_filter = (("transfer_on", admin.DateFieldListFilter), "account_type", CancelledFilter)
    search_fields = ("customer__code", "customer__name", "account_holder", "account_number", "reason")
    date_hierarchy = "transfer_on"
    autocomplete_fields = ("customer",)
    inlines = [RefundPartInline]
    form = RefundForm
    actions = [write_transfer_file, CANCEL.as_admin_action()]
    fields = ("customer", "amount", "transfer_on", "bank_code", "bank_name", "branch_code", "branch_name",
              "account_type", "account_number", "account_holder", "reason", "credit_now", "cancelled")  # fmt: skip
    readonly_fields = ("credit_now",)

    def get_fields(self, request, obj=None):
        return self.fields if obj else self.fields[:-1]  # a new refund is not cancelled

    @admin.display(description=gettext_lazy("cancelled"))
    def cancelled(self, obj):
        cancellation = getattr(obj, "cancellation", None) if obj and obj.pk else None
        if cancellation is None:
            return "-"
        return _("%(when)s by %(who)s: %(reason)s") % {
            "when": date_text(cancellation.cancelled_at),
            "who": cancellation.cancelled_by or "-",
            "reason": cancellation.reason,
        }

    def has_transfer_file_permission(self, request):
        return request.user.has_perm("receivables.transfer_file_refund")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    @admin.display(description=gettext_lazy("credit the customer holds"))
    def credit_now(self, obj):
        return yen(credit_held(obj.customer_id)) if obj and obj.customer_id else "-"

    @admin.display(description=gettext_lazy("customer"), ordering="customer__code")
    def customer_link(self, obj):
        return admin_link(obj.customer)

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_yen(self, obj):
        return yen(obj.amount)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in RefundForm.Meta.fields}
        obj.pk = record_refund(by=request.user, **data).pk

    def save_related(self, request, form, formsets, change):
        """The parts are written by the service."""
