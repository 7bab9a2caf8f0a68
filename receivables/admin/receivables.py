"""Receivables: issued invoices with what is still owed, days overdue, and the aging (売掛金年齢表) above the
list; searchable by issue date and amount ranges and by customer, in combination (電子帳簿保存法)."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, admin_link
from backoffice.dates import DateFormField
from backoffice.display import yen
from jobs import acts as job_acts

from .. import selectors
from ..choices import DeliveryMethod
from ..models import DunningNotice, InvoiceDelivery, InvoiceState, Receivable
from ..services import delivery as delivery_service
from ..services.credits import credit_held
from . import filters
from .acts import DELIVER, DUN, EXPORT, PRINT, SEND_NOW
from .forms import ConfirmForm


class ActsAdmin(HistoryAdmin):
    """A list with buttons that start acts (``jobs.acts``): each a confirmation, then a job."""

    acts: tuple = ()

    def get_urls(self):
        return job_acts.urls(self, self.acts) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        buttons = {"acts": job_acts.buttons(request, self.opts, self.acts)}
        return super().changelist_view(request, {**buttons, **(extra_context or {})})


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("payment state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return InvoiceState.choices

    def queryset(self, request, queryset):
        return queryset.filter(payment_state=self.value()) if self.value() in InvoiceState.values else queryset


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("past due")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Past due with something owed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            # The stored balances' open invoices first, by their index; then the computed balance, as shown.
            return queryset.filter(due_on__lt=timezone.localdate(), balance_now__owed__gt=0, balance__gt=0)
        return queryset


@admin.register(Receivable)
class ReceivableAdmin(ActsAdmin):
    list_display = ("display_number", "customer_link", "issued_on", "due_on", "total_yen", "settled_yen",
                    "balance_yen", "state_label", "days_overdue", "document_checksum")  # fmt: skip
    list_select_related = ("customer", "document")
    list_filter = (StateFilter, OverdueFilter, filters.ISSUED_ON, filters.TOTAL, "month")
    search_fields = ("number", "customer__code", "customer__name", "customer__name_kana_key__kana", "customer_name")
    ordering = ("due_on", "number")
    change_list_template = "admin/receivables/receivable/change_list.html"
    acts = (EXPORT,)

    def get_queryset(self, request):
        return selectors.with_balance(super().get_queryset(request).filter(number__isnull=False)).defer(
            "document__html", "document__pdf"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        figures = selectors.aging(today)
        labels = {
            "not_due": _("not yet due"),
            "1_30": _("1–30 days"),
            "31_60": _("31–60 days"),
            "61_90": _("61–90 days"),
            "over_90": _("over 90 days"),
        }
        aging = [(labels[name], yen(figures[name])) for name, _low, _high in selectors.AGING_BUCKETS]
        context = {
            "aging": aging,
            "aging_total": yen(figures["total"]),
            "aging_day": today,
            "credit_held": yen(credit_held()),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    @admin.display(description=gettext_lazy("customer"))
    def customer_link(self, obj):
        return admin_link(obj.customer)

    @admin.display(description=gettext_lazy("total"), ordering="total")
    def total_yen(self, obj):
        return yen(obj.total)

    @admin.display(description=gettext_lazy("paid"), ordering="settled")
    def settled_yen(self, obj):
        return yen(obj.settled)

    @admin.display(description=gettext_lazy("still owed"), ordering="balance")
    def balance_yen(self, obj):
        return yen(obj.balance)

    @admin.display(description=gettext_lazy("payment state"), ordering="payment_state")
    def state_label(self, obj):
        return InvoiceState(obj.payment_state).label

    @admin.display(description=gettext_lazy("days overdue"))
    def days_overdue(self, obj):
        days = (timezone.localdate() - obj.due_on).days
        return days if days > 0 and obj.balance > 0 else ""

    @admin.display(description=gettext_lazy("PDF SHA-256"))
    def document_checksum(self, obj):
        document = getattr(obj, "document", None)
        return document.pdf_sha256[:16] + "…" if document else "-"


class MailedAdmin(ActsAdmin):
    """A row whose e-mail is a message of the outbox: its state and error are the message's."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("sent to"), ordering="message__to")
    def to(self, obj):
        return admin_link(obj.message, obj.message.to) if obj.message else ""

    @admin.display(description=gettext_lazy("e-mail"), ordering="message__state")
    def state(self, obj):
        return obj.state_label

    @admin.display(description=gettext_lazy("why it was not sent"))
    def error(self, obj):
        return obj.error


@admin.register(DunningNotice)
class DunningNoticeAdmin(MailedAdmin):
    """The notices sent and those not sent (a worklist: failed ones are retried, waiting ones queued once the
    customer has a billing contact e-mail)."""

    list_display = ("invoice", "step", "owed", "queued_on", "to", "state", "error")
    list_select_related = ("invoice", "invoice__customer", "message")
    list_filter = (filters.MailStateFilter, "step", ("queued_on", admin.DateFieldListFilter))
    search_fields = ("invoice__number", "invoice__customer__name", "invoice__customer__code", "message__to")
    acts = (DUN, SEND_NOW)


def _resend(delivery, data, user):
    row = delivery_service.resend(delivery.invoice, by=user)
    return row.message.to if row.message else row.error or row.state_label


RESEND = StepAction("resend", gettext_lazy("Send the invoice again"), ConfirmForm, _resend)


class PostedForm(forms.Form):
    posted_on = DateFormField(label=gettext_lazy("posted on"), initial=timezone.localdate)


def _posted(delivery, data, user):
    delivery_service.mark_posted(delivery, on=data["posted_on"], by=user)


POSTED = StepAction(
    "mark_posted", gettext_lazy("Mark the paper invoice posted"), PostedForm, _posted, permission="deliver"
)


class PaperFilter(admin.SimpleListFilter):
    title = gettext_lazy("paper")
    parameter_name = "paper"

    def lookups(self, request, model_admin):
        return [("unprinted", _("Not printed yet")), ("unposted", _("Printed, not posted yet")),
                ("posted", _("Posted"))]  # fmt: skip

    def queryset(self, request, queryset):
        paper = queryset.filter(method=DeliveryMethod.POST)
        if self.value() == "unprinted":
            return paper.filter(printed_at__isnull=True)
        if self.value() == "unposted":
            return paper.filter(printed_at__isnull=False, posted_on__isnull=True)
        if self.value() == "posted":
            return paper.filter(posted_on__isnull=False)
        return queryset


@admin.register(InvoiceDelivery)
class InvoiceDeliveryAdmin(MailedAdmin):
    """Every delivery of an invoice; the ones not sent are a worklist, resent from here (who asked is kept)."""

    list_display = ("invoice", "method", "state", "to", "resend", "requested_by", "created_at", "printed_at",
                    "posted_on", "error")  # fmt: skip
    list_select_related = ("invoice", "invoice__customer", "requested_by", "message")
    list_filter = (filters.MailStateFilter, PaperFilter, "method", "resend", ("created_at", admin.DateFieldListFilter),
                   "invoice__month")  # fmt: skip
    search_fields = ("invoice__number", "invoice__customer__name", "invoice__customer__code", "message__to")
    actions = [RESEND.as_admin_action(), POSTED.as_admin_action()]
    acts = (DELIVER, PRINT, SEND_NOW)
