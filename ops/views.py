"""``/health/`` (django-health-check's page: HTML, or JSON with ``Accept: application/json``; 500 when a
check fails) and ``/metrics`` (Prometheus' text format), for whoever ``ops.access`` lets in."""

from asgiref.sync import sync_to_async
from django.http import HttpResponse
from health_check.views import HealthCheckView
from prometheus_client import CONTENT_TYPE_LATEST

from . import access, checks, gauges, metrics


class HealthView(HealthCheckView):
    @property
    def checks(self):
        return checks.enabled()

    async def dispatch(self, request, *args, **kwargs):
        if not await sync_to_async(access.allowed)(request):
            return access.refusal()
        return await super().dispatch(request, *args, **kwargs)


def prometheus(request):
    if not access.allowed(request):
        return access.refusal()
    response = HttpResponse(metrics.exposition(gauges.registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
