"""Payments: the worklist of payments to match (with ranked candidates on each payment's page), a
payment entered by hand, the match by hand, undoing a match with a reason; the bank files and their import."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, Inline, admin_link, refusal_text
from backoffice.display import date_text, yen
from jobs.pages import upload_page

from .. import selectors
from ..matching import Matcher
from ..models import Allocation, BankFile, Payment, PaymentState, TransferName
from ..services.allocations import match, tolerance, undo_match
from ..services.bank_import_job import import_later
from ..services.payments import record_payment
from . import filters
from .forms import BankFileForm, InvoiceSearchForm, MatchForm, ReasonForm


class MatchedFilter(admin.SimpleListFilter):
    title = gettext_lazy("matched")
    parameter_name = "matched"

    def lookups(self, request, model_admin):
        return [("open", _("Money left to match")), ("done", _("Matched in full"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.unmatched()
        if self.value() == "done":
            return queryset.filter(allocated=F("amount"))
        return queryset


class AllocationInline(Inline):
    model = Allocation
    fk_name = "payment"
    fields = ("kind", "invoice", "amount", "booked_on", "created_by", "created_at", "undone_at", "undone_by",
              "undo_reason")  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _undo(payment, data, user):
    count = undo_match(payment, reason=data["reason"], by=user)
    return _("%(count)s allocations undone") % {"count": count}


UNDO = StepAction("undo", gettext_lazy("Undo the match (with a reason)"), ReasonForm, _undo, permission="match")


@admin.register(Payment)
class PaymentAdmin(HistoryAdmin):
    list_display = ("received_on", "amount_yen", "payer_name", "customer_link", "state_label", "source", "bank_file")
    list_select_related = ("customer", "bank_file")
    list_filter = (MatchedFilter, filters.RECEIVED_ON, filters.AMOUNT, "source")
    search_fields = ("payer_name", "payer_key", "bank_reference", "customer__name", "customer__code")
    date_hierarchy = "received_on"
    inlines = [AllocationInline]
    actions = [UNDO.as_admin_action()]
    add_fields = ("received_on", "amount", "payer_name", "bank_reference", "note")
    readonly_fields = (
        "source", "bank_file", "row", "account", "bank_reference", "received_on", "value_on", "amount", "payer_name",
        "payer_key", "payer_code", "customer", "allocated", "note", "created_by", "created_at", "match_link",
    )  # fmt: skip

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if obj else []

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A payment entered by hand, through the same service as any other."""
        saved = record_payment(
            received_on=obj.received_on,
            amount=obj.amount,
            payer_name=obj.payer_name,
            bank_reference=obj.bank_reference,
            note=obj.note,
            by=request.user,
        )
        obj.pk = saved.pk

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_yen(self, obj):
        return yen(obj.amount)

    @admin.display(description=gettext_lazy("customer"))
    def customer_link(self, obj):
        return admin_link(obj.customer)

    @admin.display(description=gettext_lazy("state"))
    def state_label(self, obj):
        return PaymentState(obj.state).label

    @admin.display(description=gettext_lazy("match"))
    def match_link(self, obj):
        if obj.pk is None or obj.unallocated <= 0:
            return "-"
        url = reverse("admin:receivables_payment_match", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Match by hand"))

    def get_urls(self):
        own = [path("<int:pk>/match/", self.admin_site.admin_view(self.match_view), name="receivables_payment_match")]
        return own + super().get_urls()

    def match_view(self, request, pk):
        """The payment's ranked candidates with their open invoices, and a search of every open invoice by
        amount, due date and name (filled in from the payment when none is suggested); staff tick what it
        pays, of one customer or of several (a parent paying for its group). The payer's name is then
        learned as the transfer name of the customer whose credit any rest becomes."""
        if not request.user.has_perm("receivables.match_payment"):
            raise PermissionDenied
        payment = get_object_or_404(Payment, pk=pk)
        candidates = Matcher().candidates(payment, limit=8)
        searched = any(name in request.GET for name in InvoiceSearchForm.base_fields)
        search = InvoiceSearchForm(request.GET if searched else None, initial=_search_defaults(payment))
        if not searched and not candidates:
            search = InvoiceSearchForm(_search_defaults(payment))
        found = []
        if search.is_bound and search.is_valid():
            found = list(search.search(selectors.open_invoices().select_related("customer"))[:FOUND])
        invoices = [invoice for c in candidates for invoice in _ordered_invoices(c)]
        invoices += [invoice for invoice in found if invoice.pk not in {i.pk for i in invoices}]
        choices = [(i.pk, invoice_label(i)) for i in invoices]
        form = MatchForm(request.POST or None, invoices=choices)
        if request.method == "POST" and form.is_valid():
            chosen = [i for i in invoices if i.pk in form.cleaned_data["invoices"]]
            customer = form.cleaned_data["customer"]
            try:
                written = match(
                    payment, chosen, by=request.user, book_fee=form.cleaned_data["book_fee"], customer=customer,
                    reason=_("Matched by hand"), teach=True,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, refusal_text(exc))
            else:
                self.message_user(
                    request,
                    _("Matched: %(rows)s.") % {"rows": ", ".join(f"{row} {row.invoice or ''}" for row in written)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:receivables_payment_change", args=[payment.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Match a payment by hand"),
            "payment": payment,
            "candidates": candidates,
            "search": search,
            "found": found,
            "searched": search.is_bound,
            "form": form,
            "media": self.media + form.media + search.media,
        }
        return TemplateResponse(request, "admin/receivables/payment/match.html", context)


def invoice_label(invoice) -> str:
    """An open invoice as the manual match offers it: number, customer, due date, what is still owed."""
    return _("%(number)s %(customer)s — due %(due)s — %(owed)s") % {
        "number": invoice.display_number,
        "customer": invoice.customer,
        "due": date_text(invoice.due_on),
        "owed": yen(invoice.balance),
    }


#: How many open invoices a search lists.
FOUND = 50


def _search_defaults(payment) -> dict:
    """What a search starts from: invoices owing no more than the payment (and the fee a payer may keep
    back), due within four months before it was received and two after."""
    return {
        "amount_max": payment.unallocated + tolerance(),
        "due_from": (payment.received_on - timedelta(days=120)).isoformat(),
        "due_to": (payment.received_on + timedelta(days=60)).isoformat(),
    }


def _ordered_invoices(candidate):
    """The candidate's open invoices, those the amount agrees with first."""
    agreeing = {i.pk for i in candidate.invoices}
    return sorted(candidate.open_invoices, key=lambda i: (i.pk not in agreeing, i.due_on, i.number))


@admin.register(TransferName)
class TransferNameAdmin(HistoryAdmin):
    list_display = ("name", "key", "customer", "learned_from")
    list_select_related = ("customer", "learned_from")
    search_fields = ("name", "key", "customer__name", "customer__code", "customer__name_kana_key__kana")
    list_filter = (("learned_from", admin.EmptyFieldListFilter),)
    autocomplete_fields = ("customer",)
    fields = ("customer", "name", "learned_from")
    readonly_fields = ("learned_from",)


@admin.register(Allocation)
class AllocationAdmin(HistoryAdmin):
    list_display = ("booked_on", "kind", "amount", "customer", "invoice", "payment", "undone_at")
    list_select_related = ("customer", "invoice", "invoice__customer", "payment")
    list_filter = ("kind", ("undone_at", admin.EmptyFieldListFilter), filters.AMOUNT)
    search_fields = ("customer__name", "customer__code", "payment__payer_name", "undo_reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BankFile)
class BankFileAdmin(HistoryAdmin):
    list_display = ("name", "format", "account", "payments_count", "payments_total", "imported_at", "imported_by",
                    "sha256")  # fmt: skip
    list_select_related = ("imported_by",)
    list_filter = ("format", ("imported_at", admin.DateFieldListFilter))
    search_fields = ("name", "account", "sha256")
    fields = ("name", "format", "account", "payments_count", "payments_total", "imported_at", "imported_by", "sha256",
              "checksum_state")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("content as stored"))
    def checksum_state(self, obj):
        return _("intact: matches its SHA-256") if obj.intact() else _("CHANGED: does not match its SHA-256")

    def get_urls(self):
        own = [path("import/", self.admin_site.admin_view(self.import_view), name="receivables_bankfile_import")]
        return own + super().get_urls()

    def import_view(self, request):
        """Import a bank file as a job, like the other uploads: a dry run first, all records or none, then the
        automatic match (billing); the job's page shows its progress and each record's line."""

        def start(data, user):
            upload = data["file"]
            return import_later(upload.name, upload.read(), by=user, dry_run=data["dry_run"])

        return upload_page(
            self,
            request,
            permissions=("receivables.add_bankfile",),
            form_class=BankFileForm,
            title=_("Import a bank file"),
            help_text=_("Every record is checked: one refused record writes nothing. Then the payments are matched."),
            start=start,
        )
