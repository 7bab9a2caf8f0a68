"""The alerts an outage rests on, as links for the pages that show what a credit rests on (registered under
``outage_evidence``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.display import date_text

from .models import Alert


def alerts_of(outage) -> list[tuple[str, str]]:
    rows = Alert.objects.filter(outage=outage).select_related("source").order_by("starts_at", "pk")
    return [
        (
            _("Alert %(name)s from %(source)s: %(start)s – %(end)s")
            % {
                "name": row.name or row.key,
                "source": row.source,
                "start": date_text(row.starts_at, seconds=True),
                "end": date_text(row.ends_at, seconds=True) if row.ends_at else "-",
            },
            reverse("admin:monitoring_alert_change", args=[row.pk]),
        )
        for row in rows
    ]
