"""Benchmark: closing a month holds its lock for the numbering alone; workers render the documents side by side.

Creates a throw-away PostgreSQL test database (``test_<name>`` of DATABASE_URL; workers are processes
and need committed rows), bills a month of N invoices and closes it, timing the closing's transaction
(the month's lock is held for all of it). Then renders R of its invoices' documents with 1, 2 and 4
``run_worker --burst`` processes (database backend, DOCUMENT_BATCH_SIZE invoices a task), a fresh
slice of R each time, and prints the throughput and its ratio to one worker's. Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/rendering.py --invoices 5000 --render 1000

The closing's line also prints this process's CPU time, which other sessions' load on a shared machine
barely moves. Targets (issue 16): the closing of 5,000 invoices holds the lock < 10 s; 2 workers render ≥ 1.7× as
fast as one. The ratios below are to those targets (≥ 1 meets it). Worker start-up (Django, fonts) is
inside the wall time, as it is in production when a worker starts for a month's batches.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from datetime import date
from itertools import batched
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

LOCK_TARGET_S = 10.0
SCALING_TARGET = 1.7


def _billing_bench():
    """bench/billing.py's builders (contracts in bulk, a month of the first N customers)."""
    spec = importlib.util.spec_from_file_location("bench_billing", ROOT / "bench" / "billing.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker_env() -> dict[str, str]:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "db", "JOBS_STALLED_AFTER_SECONDS": "86400"}


def render_with(workers: int, job, invoice_ids: list[int]) -> float:
    """Enqueue ``invoice_ids`` in batches, run ``workers`` burst workers until the queue is empty; seconds."""
    from billing.rendering import render_batch

    for ids in batched(invoice_ids, settings.DOCUMENT_BATCH_SIZE):
        render_batch.enqueue(job.pk, list(ids))
    started = time.perf_counter()
    command = [sys.executable, "manage.py", "run_worker", "--burst", "--verbosity", "0"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=worker_env()) for _ in range(workers)]
    for process in processes:
        assert process.wait() == 0, "a worker failed"
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=5_000)
    parser.add_argument("--render", type=int, default=1_000, help="documents rendered per worker count (0: none)")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    if connection.vendor != "postgresql":
        sys.exit("bench/rendering.py needs PostgreSQL (DATABASE_URL): the workers are processes of their own")
    needed = args.render * len(counts)
    if needed > args.invoices:
        sys.exit(f"--invoices must be at least --render × worker counts ({needed})")

    from django_tasks_db.models import DBTaskResult

    from billing.closing import close_month
    from billing.models import Invoice, InvoiceDocument
    from billing.rendering import job_of

    bench = _billing_bench()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        bench.fill(args.invoices * 4)
        month = bench._month_of_first_customers(args.invoices)
        started, cpu = time.perf_counter(), time.process_time()
        issued = close_month(month, issued_on=date(2025, 1, 1))
        held, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{connection.vendor}: close a month of {issued:,} invoices (numbers, dates, taxes; no rendering)")
        print(
            f"  lock held {held:6.2f} s ({cpu:.2f} s CPU of this process)   target < {LOCK_TARGET_S:.0f} s   "
            f"ratio {LOCK_TARGET_S / held:5.2f}"
        )

        if not args.render:
            return
        job = job_of(month)
        DBTaskResult.objects.all().delete()  # the closing's own job: this run enqueues its slices itself
        ids = list(Invoice.objects.filter(month=month).order_by("number").values_list("pk", flat=True))
        print(f"render {args.render:,} documents per run, {settings.DOCUMENT_BATCH_SIZE} a task:")
        rates = {}
        for n, workers in enumerate(counts):
            chunk = ids[n * args.render : (n + 1) * args.render]
            seconds = render_with(workers, job, chunk)
            assert InvoiceDocument.objects.filter(invoice_id__in=chunk).count() == len(chunk)
            rates[workers] = len(chunk) / seconds
            scale = rates[workers] / rates[counts[0]]
            line = f"  {workers} worker(s): {seconds:7.1f} s  {rates[workers]:6.1f} documents/s  ×{scale:4.2f} of one"
            if workers == 2:
                line += f"   target ×{SCALING_TARGET}   ratio {scale / SCALING_TARGET:5.2f}"
            print(line)
    finally:
        connection.close()
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
