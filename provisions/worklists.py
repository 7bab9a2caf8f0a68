"""The provisions' worklists on the admin index: usage reports still awaited (ISP Platform art. 15: the customer
reports promptly), and measurements showing the bandwidth tight with no change proposed yet (CXM2 art. 15,
ISP Platform art. 14)."""

from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from .models import TrafficMeasurement, UsageReportRequest

WORKLISTS = (
    Worklist(
        group=_("Provisions of the terms"),
        label=_("Usage reports awaited"),
        url_name="admin:provisions_usagereportrequest_changelist",
        permission="provisions.change_usagereportrequest",
        query="replied_on__isempty=1",
        count=lambda: UsageReportRequest.objects.filter(replied_on__isnull=True).count(),
    ),
    Worklist(
        group=_("Provisions of the terms"),
        label=_("Tight bandwidth, no change proposed"),
        url_name="admin:provisions_trafficmeasurement_changelist",
        permission="provisions.change_trafficmeasurement",
        query="tight__exact=1&proposed_on__isempty=1",
        count=lambda: TrafficMeasurement.objects.filter(tight=True, proposed_on__isnull=True).count(),
    ),
)
