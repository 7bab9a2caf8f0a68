"""What the monitoring adds to other apps' pages (``MonitoringConfig.ready``): the alerts on their outage's
page, the network identifiers on their contract's. Both are read-only lists of what follows the row, so
neither shows on a page that adds one."""

from django.utils.translation import gettext_lazy as _

from backoffice.admin import RecordInline
from contracts.selectors import SLA_SERVICES

from ..models import Alert, NetworkIdentifier


class AlertInline(RecordInline):
    """The alerts an outage rests on: the evidence its times and credits come from."""

    model = Alert
    fields = ("name", "key", "source", "starts_at", "ends_at", "status", "first_payload", "resolved_payload")
    ordering = ("starts_at", "id")
    verbose_name_plural = _("alerts it rests on")
    on_add_page = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "first_payload", "resolved_payload")


class IdentifierInline(RecordInline):
    """How the network names the contract; recorded on their own page, where the rules run."""

    model = NetworkIdentifier
    fields = ("circuit_id", "device", "port", "option", "note")
    ordering = ("circuit_id", "device", "port")
    verbose_name_plural = _("network identifiers (monitoring)")
    on_add_page = False

    def has_view_permission(self, request, obj=None):
        """Shown on the guaranteed contracts only."""
        return (obj is None or obj.service_id in SLA_SERVICES) and super().has_view_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("option__kind")
