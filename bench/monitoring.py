"""Benchmark: Alertmanager posts alerts in a burst; how fast they are answered, and how soon each failure notice goes.

Creates a throw-away PostgreSQL test database (``test_<name>`` of DATABASE_URL: gunicorn and the task workers are
processes of their own), fills it with live guaranteed contracts (CXM2 and Smart HUB in turn, a customer per four
with a failure contact e-mail, each contract a circuit id) and an Alertmanager source, and starts an SMTP sink
(``smtp_sink``: the outbox hands every notice over by real SMTP), gunicorn and ``run_worker`` processes. Then each
run posts its alerts (payload version "4", firing, one new contract each) from ``--clients`` threads at once and
waits until every notice is sent, failing loudly if an alert, an outage, a notice or an e-mail is missing. Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/monitoring.py [--alerts 1000] [--batched] [--sources 2]

Printed per run: requests/s and the answer's p50/p95; when the last payload was worked (the last
``process_payload`` task) and the tasks' time; the time from each post's start to its notice's e-mail being
sent (``Message.sent_at``; the notification's ``notified_at`` is that moment cut to the second): p50, p95, and the
last notice after the burst began. ``--sources K`` posts round-robin with K sources' tokens: one source's
payloads are worked one at a time under its row lock (``monitoring.processing``), so K > 1 shows what the lock
costs. ``--batched`` adds a run of requests of 10 alerts each, on contracts of its own.
"""

import argparse
import hashlib
import json
import logging
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise

PORT = 8766
PROCESS_TASK = "monitoring.processing.process_payload"


def fill(contracts: int) -> list[str]:
    """Live CXM2 and Smart HUB contracts in bulk, each named by a circuit id: the circuit ids, in order."""
    from contracts.choices import ApplicationType, Region, Route, Status
    from contracts.models import Contract
    from customers.models import Customer
    from monitoring.models import NetworkIdentifier

    customers = Customer.objects.bulk_create(
        Customer(
            code=f"M{i:07d}",
            kind="corporate",
            name=f"監視ベンチ株式会社{i}",
            failure_contact_name="障害窓口",
            failure_contact_email=f"noc{i}@example.com",
        )
        for i in range(contracts // 4 or 1)
    )
    terms = {
        "applied_on": datetime(2025, 1, 6).date(),
        "accepted_on": datetime(2025, 1, 10).date(),
        "status": Status.ACTIVE,
        "billing_start_on": datetime(2025, 1, 15).date(),
        "min_period_start_on": datetime(2025, 1, 15).date(),
        "min_months": 1,
        "notice_days": 30,
        "prorated": True,
        "initial_fee": 0,
        "monthly_fee": 60_000,
        "change_fee": 10_000,
        "line_fee": 0,
        "bandwidth_fee": 0,
    }
    cxm2 = {"service_id": "cxm2", "item_id": "cxm2.100m", "route": Route.MICROSOFT, "region": Region.TOKYO}
    cxm2["application_type"] = ApplicationType.ACTIVE
    rows = Contract.objects.bulk_create(
        (
            Contract(
                number=f"MON{i:07d}",
                customer=customers[i % len(customers)],
                **(
                    cxm2
                    if i % 2 == 0
                    else {"service_id": "smart_hub", "item_id": "smart_hub.base", "closed_network": f"CN-{i:07d}"}
                ),
                **terms,
            )
            for i in range(contracts)
        ),
        batch_size=2000,
    )
    circuits = [f"CIR-{i:07d}" for i in range(contracts)]
    NetworkIdentifier.objects.bulk_create(
        (NetworkIdentifier(contract=row, circuit_id=circuit) for row, circuit in zip(rows, circuits, strict=True)),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return circuits


def alert(circuit: str, started: datetime) -> dict:
    """One firing alert as Alertmanager's webhook (version 4) carries it."""
    return {
        "status": "firing",
        "labels": {"alertname": "CircuitDown", "circuit_id": circuit, "instance": f"edge-{circuit}", "severity": "p1"},
        "annotations": {"summary": f"回線 {circuit} が応答しません"},
        "startsAt": started.isoformat().replace("+00:00", "Z"),
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.example:9090/graph?g0.expr=probe_success%3D%3D0",
        "fingerprint": hashlib.sha256(circuit.encode()).hexdigest()[:16],
    }


def group(circuits: list[str], started: datetime) -> bytes:
    alerts = [alert(circuit, started) for circuit in circuits]
    common = {"alertname": "CircuitDown", "severity": "p1"}
    return json.dumps(
        {
            "version": "4",
            "groupKey": '{}:{alertname="CircuitDown"}',
            "truncatedAlerts": 0,
            "status": "firing",
            "receiver": "backoffice",
            "groupLabels": {"alertname": "CircuitDown"},
            "commonLabels": common,
            "commonAnnotations": {},
            "externalURL": "http://alertmanager.example:9093",
            "alerts": alerts,
        },
        ensure_ascii=False,
    ).encode()


def burst(requests: list[tuple[str, list[str]]], clients: int) -> list[tuple[float, float, list[str]]]:
    """Post each ``(token, circuits)`` from ``clients`` threads at once: (start as Unix time, latency ms,
    circuits) of each post, every answer a 202."""
    started_at = datetime.now(UTC) - timedelta(seconds=30)
    bodies = [(token, group(circuits, started_at), circuits) for token, circuits in requests]
    done, errors, lock = [], [], threading.Lock()
    queue = iter(bodies)

    def run() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as http:
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                token, body, circuits = item
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                start, started = time.time(), time.perf_counter()
                response = http.post("/monitoring/alertmanager", content=body, headers=headers)
                done.append((start, (time.perf_counter() - started) * 1000, circuits))
                if response.status_code != 202:
                    errors.append((response.status_code, response.text[:300]))

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    return done


def sent_times(circuits: list[str]) -> dict[str, float | None]:
    """Each circuit's notice: when its e-mail was sent (Unix time), None while it is not."""
    from sla.models import FailureNotification

    rows = FailureNotification.objects.filter(contract__network_identifiers__circuit_id__in=circuits).values_list(
        "contract__network_identifiers__circuit_id", "message__sent_at", "notified_at"
    )
    times = {}
    for circuit, sent_at, notified_at in rows:
        assert (sent_at is None) == (notified_at is None), (circuit, sent_at, notified_at)
        times[circuit] = sent_at.timestamp() if sent_at else None
    return times


def wait_for_notices(circuits: list[str], sink: SmtpSink, timeout: float) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        times = sent_times(circuits)
        if len(times) == len(circuits) and None not in times.values():
            return times
        time.sleep(0.5)
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.filter(status="FAILED").values_list("task_path", "traceback")[:3]
    sent = sum(1 for value in times.values() if value)
    raise SystemExit(
        f"After {timeout:.0f} s: {len(times)} notices of {len(circuits)}, {sent} sent, {sink.received} e-mails "
        f"received; failed tasks: {list(failed)}"
    )


def check_counts(payloads: int, circuits: list[str], since: float, sink_before: int, sink: SmtpSink) -> None:
    """Every payload kept, every alert recorded and mapped, an outage and a sent notice each, and an e-mail each
    in the sink; no task failed."""
    from django_tasks_db.models import DBTaskResult

    from monitoring.choices import Mapping
    from monitoring.models import Alert, Payload
    from sla.models import FailureNotification, Outage

    alerts = Alert.objects.filter(labels__circuit_id__in=circuits)
    found = {
        "payloads": Payload.objects.filter(received_at__gte=datetime.fromtimestamp(since, UTC)).count(),
        "alerts": alerts.count(),
        "mapped": alerts.filter(mapping=Mapping.MAPPED).count(),
        "outages": Outage.objects.filter(alerts__in=alerts).distinct().count(),
        "notices sent": FailureNotification.objects.filter(
            contract__network_identifiers__circuit_id__in=circuits, notified_at__isnull=False
        ).count(),
        "e-mails received": sink.received - sink_before,
    }
    wanted = {"payloads": payloads, **dict.fromkeys(list(found)[1:], len(circuits))}
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    if {**found, "failed tasks": failed} != {**wanted, "failed tasks": 0}:
        raise SystemExit(f"Counts differ: found {found}, {failed} failed tasks; wanted {wanted}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def tasks_since(moment: float, path: str) -> tuple[int, float, float]:
    """(tasks of ``path`` enqueued since ``moment``, the last one's finish as Unix time, their summed run time s)."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        task_path=path, enqueued_at__gte=datetime.fromtimestamp(moment, UTC)
    ).values_list("started_at", "finished_at")
    rows = list(rows)
    last = max(finished.timestamp() for _started, finished in rows)
    return len(rows), last, sum((finished - started).total_seconds() for started, finished in rows)


def run(label: str, requests: list[tuple[str, list[str]]], args, sink: SmtpSink) -> None:
    circuits = [circuit for _token, chunk in requests for circuit in chunk]
    sink_before = sink.received
    began = time.time()
    posts = burst(requests, args.clients)
    posted = time.time() - began
    latencies = [latency for _start, latency, _circuits in posts]
    times = wait_for_notices(circuits, sink, args.timeout)
    check_counts(len(requests), circuits, began, sink_before, sink)
    waits = [times[circuit] - start for start, _latency, chunk in posts for circuit in chunk]
    processed, last_processed, busy = tasks_since(began, PROCESS_TASK)
    sends, _last_sent, send_busy = tasks_since(began, "outbox.sending.send_message")
    print(f"\n{label}: {len(requests)} requests, {len(circuits)} alerts, {args.clients} clients")
    print(
        f"  posts    {len(requests) / posted:7.1f} req/s ({len(circuits) / posted:.0f} alerts/s) over {posted:.1f} s; "
        f"answer p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    print(
        f"  worked   the last of {processed} payloads {last_processed - began:.1f} s after the burst began "
        f"({len(circuits) / (last_processed - began):.1f} alerts/s); process_payload {busy / processed * 1000:.0f} ms "
        f"a task ({busy:.1f} s in all), send_message {send_busy / sends * 1000:.0f} ms ({sends} tasks)"
    )
    print(
        f"  notices  post → e-mail sent: p50 {statistics.median(waits):.1f} s, p95 {percentile(waits, 0.95):.1f} s, "
        f"max {max(waits):.1f} s; the last sent {max(times.values()) - began:.1f} s after the burst began"
    )
    print(f"  checked  {len(circuits)} alerts, mapped, outages, notices sent and e-mails received; no task failed")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_processes(args, sink: SmtpSink) -> list[subprocess.Popen]:
    """The task workers, then gunicorn, on the test database; the workers send e-mail to the sink."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "TASKS_BACKEND": "db",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
    }
    worker = [sys.executable, "manage.py", "run_worker", "--verbosity", "0"]
    processes = [subprocess.Popen(worker, cwd=ROOT, env=env) for _ in range(args.workers)]
    server = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(args.gunicorn_workers)]
    server += ["-b", f"127.0.0.1:{PORT}", "--log-level", "warning"]
    processes.append(subprocess.Popen(server, cwd=ROOT, env=env))
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{PORT}/monitoring/alertmanager", timeout=1)
            time.sleep(2)  # the workers start meanwhile (Django, a random delay under a second)
            return processes
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1000, help="alerts of a run, one new contract each")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--batched", action="store_true", help="also a run of requests of 10 alerts each")
    parser.add_argument("--sources", type=int, default=1, help="sources whose tokens the posts take in turn")
    parser.add_argument("--workers", type=int, default=2, help="task workers")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=900, help="seconds a run waits for its notices")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/monitoring.py needs PostgreSQL (DATABASE_URL): gunicorn and the workers are processes")

    from monitoring import sources
    from monitoring.choices import SourceKind
    from monitoring.models import Source

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    processes = []
    try:
        runs = 2 if args.batched else 1
        started = time.perf_counter()
        circuits = fill(args.alerts * runs)
        tokens = [
            sources.issue(Source(name=f"bench {n}", kind=SourceKind.ALERTMANAGER), by=None) for n in range(args.sources)
        ]
        print(
            f"{len(circuits)} contracts, {args.sources} source(s), filled in {time.perf_counter() - started:.1f} s; "
            f"gunicorn -w {args.gunicorn_workers}, {args.workers} task workers, {os.cpu_count()} cores"
        )
        connection.close()
        sink = SmtpSink().start()
        processes = start_processes(args, sink)
        first = circuits[: args.alerts]
        run("one alert a request", [(tokens[i % len(tokens)], [c]) for i, c in enumerate(first)], args, sink)
        if args.batched:
            rest = circuits[args.alerts :]
            chunks = [rest[i : i + 10] for i in range(0, len(rest), 10)]
            run("10 alerts a request", [(tokens[i % len(tokens)], c) for i, c in enumerate(chunks)], args, sink)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait()
        connection.close()
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
