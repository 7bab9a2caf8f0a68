"""Prometheus metrics kept by each process: the web requests' latency (``RequestMetricsMiddleware``) and the
jobs' durations (``job_finished``, in the worker that finished the job).

Several gunicorn workers each hold their own figures, and a scrape reaches one of them. With
``PROMETHEUS_MULTIPROC_DIR`` set (an empty folder, emptied when gunicorn starts, before prometheus_client is
imported) every process writes its figures to files there and ``/metrics`` sums them all: prometheus_client's
multiprocess mode. Without it the figures are the answering process's own. The gauges read from the database
at each scrape (``ops.gauges``) are the same whichever process answers.
"""

import os
import time

from prometheus_client import CollectorRegistry, Histogram, disable_created_metrics, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

# No ``_created`` series beside each counter and histogram: Prometheus has no use for them, and multiprocess
# mode has none.
disable_created_metrics()

#: The figures of this process (in multiprocess mode they go to files, read by ``MultiProcessCollector``).
REGISTRY = CollectorRegistry()

REQUEST_SECONDS = Histogram(
    "backoffice_http_request_duration_seconds",
    "Time to answer a request, until its response is ready (a streamed export's rows not included).",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
JOB_SECONDS = Histogram(
    "backoffice_job_duration_seconds",
    "Time from a job's last start to its end, observed when it ends, done or failed.",
    ["kind", "state"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400),
    registry=REGISTRY,
)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition(*collected: CollectorRegistry) -> bytes:
    """The text a scrape reads: the processes' figures, then those of ``collected`` (read now)."""
    if multiprocess():
        kept = CollectorRegistry()
        MultiProcessCollector(kept)
    else:
        kept = REGISTRY
    return b"".join(generate_latest(registry) for registry in (kept, *collected))


class RequestMetricsMiddleware:
    """Time each request by the view it reached (its URL name: ``admin:contracts_contract_changelist``), its
    method and the class of its status. A handful of dictionary look-ups and one observation per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        REQUEST_SECONDS.labels(
            match.view_name if match is not None else "unresolved",
            request.method if request.method in METHODS else "other",
            f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - start)
        return response


def job_finished(sender, instance, **kwargs) -> None:
    """Receiver of ``jobs.signals.finished``: the job's time from its last start to its end."""
    if instance.started_at is not None and instance.finished_at is not None:
        seconds = (instance.finished_at - instance.started_at).total_seconds()
        JOB_SECONDS.labels(instance.kind, instance.state).observe(max(seconds, 0))
