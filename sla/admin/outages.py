"""Outages, the contracts they hit (picked by customer, service, location or closed network, with the credits
each would get shown before anything is saved) and the failure notifications."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, Inline, admin_link, count_of
from backoffice.display import date_text, duration_text
from backoffice.keys import object_or_404

from ..models import AffectedContract, FailureNotification, Outage, OutageOrigin, OutageState
from ..services import drafts, outages
from .forms import AdjustForm, AffectForm, ConfirmForm, ExcludeForm

COMPUTED_COLUMNS = (
    "monthly_fee",
    "availability_credit",
    "notification_credit",
    "availability_deadline",
    "notification_deadline",
)


class AffectedInline(Inline):
    model = AffectedContract
    fields = ("contract", "excluded", "exclusion_reason", *COMPUTED_COLUMNS)
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contract")


class NotificationInline(Inline):
    """The outage's failure notifications, recorded on their own page (which recomputes the credits)."""

    model = FailureNotification
    fields = ("customer", "contract", "detected_at", "notified_at", "contact_name", "notified_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customer", "contract", "notified_by")


def _moment(value):
    return date_text(value, seconds=True) if value else "-"


def _confirm(outage, data, user):
    drafts.confirm(outage, by=user)


def _adjust(outage, data, user):
    drafts.adjust(outage, started_at=data["started_at"], ended_at=data["ended_at"], reason=data["reason"], by=user)


def _exclude(outage, data, user):
    drafts.exclude(outage, reason=data["reason"], note=data["note"], by=user)


def _confirm_warning(rows) -> list[str]:
    return [_("Once confirmed, the outage's credits are computed and its times no longer follow the alerts.")]


CONFIRM = StepAction(
    "confirm", gettext_lazy("Confirm the drafts as they stand"), ConfirmForm, _confirm, _confirm_warning
)
ADJUST = StepAction(
    "adjust", gettext_lazy("Adjust a draft's times (with a reason)"), AdjustForm, _adjust, permission="confirm"
)
EXCLUDE = StepAction(
    "exclude", gettext_lazy("Exclude the drafts (no credit for anyone)"), ExcludeForm, _exclude, permission="confirm"
)
#: What a draft from the alerts shows but staff change only through the actions above.
MACHINE_FIELDS = (
    "state",
    "origin",
    "detected_started_at",
    "detected_ended_at",
    "adjustment_reason",
    "confirmed_at",
    "confirmed_by",
)


@admin.register(Outage)
class OutageAdmin(HistoryAdmin):
    list_display = (
        "started",
        "ended",
        "duration_column",
        "cause",
        "state",
        "origin",
        "excluded",
        "exclusion_reason",
        "affected_count",
    )
    list_filter = ("state", "origin", "excluded", "exclusion_reason", ("started_at", admin.DateFieldListFilter))
    search_fields = ("cause", "exclusion_note", "contracts__number", "contracts__customer__name")
    fields = ("started_at", "ended_at", "cause", "excluded", "exclusion_reason", "exclusion_note")
    inlines = (AffectedInline, NotificationInline)
    actions = [CONFIRM.as_admin_action(), ADJUST.as_admin_action(), EXCLUDE.as_admin_action()]

    def get_fields(self, request, obj=None):
        return (*self.fields, *MACHINE_FIELDS) if obj and obj.origin == OutageOrigin.MONITORING else self.fields

    def get_readonly_fields(self, request, obj=None):
        """An outage from the alerts keeps the alerts' times and is decided through the actions (confirm, adjust
        with a reason, exclude); staff word its cause."""
        if obj and obj.origin == OutageOrigin.MONITORING:
            return (*(name for name in self.fields if name != "cause"), *MACHINE_FIELDS)
        return self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(affected_count=count_of(AffectedContract, "outage"))

    @admin.display(description=gettext_lazy("started at"), ordering="started_at")
    def started(self, obj):
        return _moment(obj.started_at)

    @admin.display(description=gettext_lazy("ended at"), ordering="ended_at")
    def ended(self, obj):
        return _moment(obj.ended_at)

    @admin.display(description=gettext_lazy("duration"))
    def duration_column(self, obj):
        return duration_text(obj.duration) if obj.duration is not None else _("going on")

    @admin.display(description=gettext_lazy("affected contracts"), ordering="affected_count")
    def affected_count(self, obj):
        return obj.affected_count

    def save_model(self, request, obj, form, change):
        """Saving an outage refreshes the credits of the contracts it hit; a new one is announced."""
        super().save_model(request, obj, form, change)
        if not change:
            outages.recorded(obj)
        outages.recompute(obj, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view(self.affect_view)
        return [path("<path:object_id>/affect/", view, name="sla_outage_affect"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_affect": self.has_change_permission(request),
            "can_confirm": request.user.has_perm("sla.confirm_outage"),
            "draft": OutageState.DRAFT,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def affect_view(self, request, object_id):
        """Pick contracts (form) → the credits each would get (preview, nothing saved) → save on confirmation."""
        outage = object_or_404(Outage, pk=object_id)
        if not self.has_change_permission(request, outage):
            raise PermissionDenied
        form = AffectForm(request.POST if request.method == "POST" else None)
        estimates = None
        if form.is_bound and form.is_valid():
            contracts = list(form.contracts())
            if "_confirm" in request.POST:
                previewed = set(request.POST.getlist("contract"))
                contracts = [c for c in contracts if str(c.pk) in previewed]
                added = outages.affect(outage, contracts, by=request.user)
                self.message_user(
                    request, _("%(count)d contract(s) added to the outage.") % {"count": added}, messages.SUCCESS
                )
                return redirect(reverse("admin:sla_outage_change", args=[outage.pk]))
            estimates = outages.estimate(outage, contracts)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add affected contracts"),
            "opts": self.opts,
            "object": outage,
            "form": form,
            "estimates": estimates,
            "known": set(outage.affected.values_list("contract_id", flat=True)),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/sla/outage/affect.html", context)


@admin.register(AffectedContract)
class AffectedContractAdmin(HistoryAdmin):
    list_display = ("outage", "contract_column", "customer_column", "excluded", "exclusion_reason", *COMPUTED_COLUMNS)
    list_select_related = ("outage", "contract__customer")
    list_filter = ("contract__service", "outage__excluded", "excluded", "exclusion_reason")
    search_fields = (
        "contract__number",
        "contract__customer__code",
        "contract__customer__name",
        "outage__cause",
        "exclusion_note",
    )
    fields = ("outage", "contract", "excluded", "exclusion_reason", "exclusion_note", *COMPUTED_COLUMNS)
    readonly_fields = ("outage", "contract", *COMPUTED_COLUMNS)

    def has_add_permission(self, request):
        """Contracts join an outage through its "add affected contracts" page, with the preview."""
        return False

    def save_model(self, request, obj, form, change):
        """Only the contract's own exclusion is edited (the credits are computed, never typed); they follow it."""
        super().save_model(request, obj, form, change)
        outages.recompute(obj.outage, by=request.user)

    @admin.display(description=gettext_lazy("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)

    @admin.display(description=gettext_lazy("customer"), ordering="contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.contract.customer)


@admin.register(FailureNotification)
class FailureNotificationAdmin(HistoryAdmin):
    list_display = ("detected", "notified", "late", "outage", "customer", "contract", "contact_name", "notified_by")
    list_select_related = ("outage", "customer", "contract", "notified_by")
    list_filter = (("notified_at", admin.EmptyFieldListFilter), ("detected_at", admin.DateFieldListFilter))
    search_fields = ("customer__code", "customer__name", "contract__number", "contact_name", "outage__cause")
    autocomplete_fields = ("outage", "customer", "contract")
    fields = (
        "outage",
        "customer",
        "contract",
        "detected_at",
        "notified_at",
        "contact_name",
        "contact_phone",
        "contact_email",
        "notified_by",
    )
    readonly_fields = ("notified_by",)

    @admin.display(description=gettext_lazy("detected at"), ordering="detected_at")
    def detected(self, obj):
        return _moment(obj.detected_at)

    @admin.display(description=gettext_lazy("notified at"), ordering="notified_at")
    def notified(self, obj):
        return _moment(obj.notified_at)

    @admin.display(description=gettext_lazy("late (over 30 minutes, or never)"), boolean=True)
    def late(self, obj):
        return obj.is_late

    def get_readonly_fields(self, request, obj=None):
        """A notification stays with its outage and customer; the times may be corrected (the history keeps them)."""
        return ("outage", "customer", "notified_by") if obj else ("notified_by",)

    def save_model(self, request, obj, form, change):
        """The person recording it notified; the outage's credits follow the notification."""
        if obj.notified_by_id is None:
            obj.notified_by = request.user
        super().save_model(request, obj, form, change)
        outages.recompute(obj.outage, by=request.user)
