"""The monitoring's worklists on the admin index: its dashboard, alerts that map to no contract, payloads whose
group left alerts out (Alertmanager's ``truncatedAlerts``)."""

from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from .choices import Mapping
from .models import Alert, Payload

GROUP = _("Monitoring alerts")

WORKLISTS = (
    Worklist(
        group=GROUP,
        label=_("Open outages and failure notices due"),
        url_name="monitoring_dashboard",
        permission="monitoring.view_alert",
    ),
    Worklist(
        group=GROUP,
        label=_("Alerts that map to no contract"),
        url_name="admin:monitoring_alert_changelist",
        permission="monitoring.view_alert",
        query=f"mapping__exact={Mapping.UNMAPPED}",
        count=lambda: Alert.objects.filter(mapping=Mapping.UNMAPPED).count(),
    ),
    Worklist(
        group=GROUP,
        label=_("Payloads that left alerts out"),
        url_name="admin:monitoring_payload_changelist",
        permission="monitoring.view_payload",
        query="truncated=yes",
        count=lambda: Payload.objects.filter(truncated_alerts__gt=0).count(),
    ),
)
