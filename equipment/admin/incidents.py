"""Incidents (failures, losses, damage, units not returned) and the charges, price list, cancellation
fees and reminders that follow from them. Rows here change only through the actions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin, ReadOnly, RecordInline, admin_link

from .. import queries
from ..models import Charge, FollowUp, Incident, PriceListEntry, ReturnReminder
from .actions import CHARGE_ACTIONS, INCIDENT_ACTIONS, admin_actions


class ToAssessFilter(admin.SimpleListFilter):
    title = gettext_lazy("worklist")
    parameter_name = "worklist"

    def lookups(self, request, model_admin):
        return [
            ("to_assess", gettext_lazy("Incidents to assess")),
            ("to_follow_up", gettext_lazy("Overdue returns to follow up")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "to_assess":
            return queryset & queries.to_assess()
        if self.value() == "to_follow_up":
            return queryset & queries.to_follow_up()
        return queryset


@admin.display(description=gettext_lazy("holder"))
def holder_link(obj):
    return admin_link(obj.holder)


class FollowUpInline(RecordInline):
    """Each contact with the customer about an overdue return, oldest first: their answer, who, when next."""

    model = FollowUp
    fields = ("on", "answer", "next_on", "by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Incident)
class IncidentAdmin(ReadOnly, HistoryAdmin):
    list_display = (
        "unit",
        "kind",
        "reported_on",
        holder_link,
        "article_text",
        "follow_up_on",
        "cause",
        "resolution",
        "replacement",
        "charge_link",
    )
    list_select_related = ("unit", "contract__item", "option__contract", "option__kind", "replacement", "charge")
    list_filter = (ToAssessFilter, "kind", "ground", "cause", "resolution", "reported_on")
    search_fields = ("unit__serial", "contract__number", "option__contract__number")
    readonly_fields = ("article_text",)
    inlines = (FollowUpInline,)
    actions = admin_actions(INCIDENT_ACTIONS)

    @admin.display(description=gettext_lazy("article"), ordering="ground")
    def article_text(self, obj):
        return obj.article or "-"

    @admin.display(description=gettext_lazy("charge"))
    def charge_link(self, obj):
        charge = getattr(obj, "charge", None)
        return admin_link(charge, charge.get_status_display()) if charge else "-"


@admin.register(Charge)
class ChargeAdmin(ReadOnly, HistoryAdmin):
    list_display = ("incident", "kind", "amount", "status", "assessed_by", "decided_by", "decided_on", "invoice_number")
    list_select_related = ("incident__unit", "assessed_by", "decided_by")
    list_filter = ("status", "kind", "assessed_on", "decided_on")
    search_fields = ("incident__unit__serial", "invoice_number")
    actions = admin_actions(CHARGE_ACTIONS)


@admin.register(PriceListEntry)
class PriceListEntryAdmin(HistoryAdmin):
    """The staff-editable price list of failure handling, loss and damage charges per model."""

    list_display = ("unit_model", "kind", "amount")
    list_select_related = ("unit_model",)
    list_filter = ("kind", "unit_model")
    search_fields = ("unit_model__name", "unit_model__maker", "unit_model__code")


@admin.register(ReturnReminder)
class ReturnReminderAdmin(ReadOnly, HistoryAdmin):
    list_display = ("unit", "kind", "deadline", "queued_on", "to_email", "message_state")
    list_select_related = ("unit", "message")
    list_filter = ("kind", "message__state", "queued_on")
    search_fields = ("unit__serial", "to_email")

    @admin.display(description=gettext_lazy("e-mail"), ordering="message__state")
    def message_state(self, obj):
        return admin_link(obj.message, obj.message.get_state_display())
