"""The monitoring dashboard: what is going on now and what is due, refreshed every 30 seconds.

- failure notices not yet given, with the minutes left of the 30 the guarantee allows (annex 1, 2): a
  negative figure is a notice already late, an SLA fact that will earn the customer its credit;
- outages going on, and drafts whose alerts resolved, waiting for staff to confirm them;
- notices given late in the last 7 days, alerts that map to no contract, groups that left alerts out.

A fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sla.models import FailureNotification, Outage, OutageOrigin, OutageState

from .choices import Mapping
from .models import Alert, Payload

#: The guarantee's limit for a failure notice (CXM2 and Smart HUB annex 1, 2).
NOTICE_LIMIT = timedelta(minutes=30)
RECENT = timedelta(days=7)


@dataclass(frozen=True)
class Due:
    notice: FailureNotification
    minutes_left: int

    @property
    def late(self) -> bool:
        return self.minutes_left < 0

    @property
    def late_by(self) -> int:
        return -self.minutes_left


def notices_due(now):
    rows = (
        FailureNotification.objects.filter(notified_at__isnull=True, outage__origin=OutageOrigin.MONITORING)
        .select_related("outage", "contract", "customer", "message")
        .order_by("detected_at", "pk")
    )
    return [Due(row, int((row.detected_at + NOTICE_LIMIT - now).total_seconds() // 60)) for row in rows]


def _outages(**filters):
    return (
        Outage.objects.filter(origin=OutageOrigin.MONITORING, **filters)
        .annotate(contracts_hit=Count("affected", distinct=True), alert_count=Count("alerts", distinct=True))
        .order_by("started_at", "pk")
    )


def dashboard(request):
    if not request.user.has_perm("monitoring.view_alert"):
        raise PermissionDenied
    now = timezone.now()
    since = now - RECENT
    late = FailureNotification.objects.filter(
        outage__origin=OutageOrigin.MONITORING, notified_at__gt=F("detected_at") + NOTICE_LIMIT, detected_at__gte=since
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Monitoring: outages and failure notices"),
        "now": now,
        "due": notices_due(now),
        "going_on": _outages(ended_at__isnull=True),
        "to_confirm": _outages(state=OutageState.DRAFT, ended_at__isnull=False),
        "late": late.select_related("outage", "contract", "customer").order_by("-detected_at")[:50],
        "unmapped": Alert.objects.filter(mapping=Mapping.UNMAPPED).count(),
        "truncated": Payload.objects.filter(truncated_alerts__gt=0, received_at__gte=since).count(),
        "refused": Payload.objects.exclude(error="").filter(received_at__gte=since).count(),
        "can_confirm": request.user.has_perm("sla.confirm_outage"),
    }
    return TemplateResponse(request, "admin/monitoring/dashboard.html", context)
