"""What the monitoring sent, read only: payloads as received with their receipts, and the alerts read from
them; an alert that maps to no contract is mapped again once staff have recorded its identifier."""

import json

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, ReadOnly, RecordInline, admin_link, yes_no_filter
from backoffice.display import date_text

from .. import processing
from ..choices import Mapping
from ..models import Alert, Payload, Receipt


def _moment(value):
    return date_text(value, seconds=True) if value else "-"


class ReceiptInline(RecordInline):
    model = Receipt
    fields = ("received_at", "remote_address", "headers")
    ordering = ("received_at", "id")


TruncatedFilter = yes_no_filter("truncated", gettext_lazy("alerts left out"), Q(truncated_alerts__gt=0))
RefusedFilter = yes_no_filter("refused", gettext_lazy("refused"), ~Q(error=""))


@admin.register(Payload)
class PayloadAdmin(ReadOnly, HistoryAdmin):
    list_display = ("received", "source", "size", "alert_count", "truncated_alerts", "error_column")
    list_select_related = ("source",)
    list_filter = ("source", TruncatedFilter, RefusedFilter, ("received_at", admin.DateFieldListFilter))
    search_fields = ("sha256", "body")
    fields = ("source", "received_at", "sha256", "size", "alert_count", "truncated_alerts", "error", "pretty_body")
    readonly_fields = fields
    inlines = (ReceiptInline,)

    @admin.display(description=gettext_lazy("first received at"), ordering="received_at")
    def received(self, obj):
        return _moment(obj.received_at)

    @admin.display(description=gettext_lazy("why it was refused"))
    def error_column(self, obj):
        return obj.error[:80] or "-"

    @admin.display(description=gettext_lazy("body"))
    def pretty_body(self, obj):
        """The body as received; shown indented when it is JSON (the stored text is never changed)."""
        try:
            text = json.dumps(json.loads(obj.body), ensure_ascii=False, indent=2)
        except ValueError:
            text = obj.body
        return format_html('<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto;">{}</pre>', text)


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly, HistoryAdmin):
    """Every arrival of a payload: a resend or an HA twin shows here as a second receipt of one payload."""

    list_display = ("received", "payload_column", "source_column", "remote_address")
    list_select_related = ("payload__source",)
    list_filter = ("payload__source", ("received_at", admin.DateFieldListFilter))
    search_fields = ("remote_address", "payload__sha256")
    fields = ("payload", "received_at", "remote_address", "headers")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("received at"), ordering="received_at")
    def received(self, obj):
        return _moment(obj.received_at)

    @admin.display(description=gettext_lazy("payload"))
    def payload_column(self, obj):
        return admin_link(obj.payload, obj.payload.sha256[:12])

    @admin.display(description=gettext_lazy("source"), ordering="payload__source__name")
    def source_column(self, obj):
        return obj.payload.source


class MapForm(forms.Form):
    """Nothing to ask: the identifiers are recorded first, on their own page."""


def _map(alert, data, user):
    outage = processing.map_again(alert, by=user)
    return _("outage %(outage)s") % {"outage": outage} if outage else _("still maps to no contract")


MAP = StepAction(
    "map",
    gettext_lazy("Map to contracts again (after recording their identifiers)"),
    MapForm,
    _map,
    lambda rows: [_("A failure notice goes at once to each contract found: it will be late if the alert is old.")],
)


@admin.register(Alert)
class AlertAdmin(ReadOnly, HistoryAdmin):
    list_display = ("started", "ended", "name", "key", "source", "status", "mapping", "outage_column", "labels_text")
    list_select_related = ("source", "outage")
    list_filter = ("mapping", "status", "source", ("starts_at", admin.DateFieldListFilter))
    search_fields = ("name", "key", "labels", "annotations")
    fields = (
        "source",
        "name",
        "key",
        "starts_at",
        "ends_at",
        "status",
        "labels",
        "annotations",
        "generator_url",
        "mapping",
        "outage",
        "first_payload",
        "resolved_payload",
    )
    readonly_fields = fields
    actions = [MAP.as_admin_action()]

    @admin.display(description=gettext_lazy("started at"), ordering="starts_at")
    def started(self, obj):
        return _moment(obj.starts_at)

    @admin.display(description=gettext_lazy("ended at"), ordering="ends_at")
    def ended(self, obj):
        return _moment(obj.ends_at)

    @admin.display(description=gettext_lazy("outage"), ordering="outage__started_at")
    def outage_column(self, obj):
        return admin_link(obj.outage) if obj.outage_id else (_("none") if obj.mapping == Mapping.UNMAPPED else "-")

    @admin.display(description=gettext_lazy("labels"))
    def labels_text(self, obj):
        return ", ".join(f"{key}={value}" for key, value in obj.labels.items() if key != "alertname")[:120]
