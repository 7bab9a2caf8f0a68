"""Benchmark: the monthly report of a month with a million contracts, against PostgreSQL's own COPY.

Needs PostgreSQL (DATABASE_URL). Creates a throw-away ``test_<name>`` database, fills it with
``generate_series`` INSERTs (customers, then contracts in force at the end of the month), then:

- exports the month's report to xlsx and to a CSV zip, each in a child process running the
  ``export_monthly_report`` command: wall time and the child's peak memory (maxrss);
- exports it again inside this process (``reports.writers.write``, the counts of the progress bar
  included): the same work without the child's start (Python, Django), which is what ``COPY`` is
  compared with;
- runs ``COPY (<the query of the "contracts in force" section>) TO STDOUT`` on the same rows, read
  to the end: the floor a database-side export of that table would reach.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/reports.py --rows 1000000
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MONTH = "2025-03"

CUSTOMERS = """
INSERT INTO customers_customer (code, kind, name, name_kana, name_kana_key, postal_code, address, billing_address,
    failure_contact_name, failure_contact_phone, failure_contact_email, billing_contact_name,
    billing_contact_phone, billing_contact_email, status, note, created_at, corporate_equivalent, invoice_by_post)
SELECT 'B' || lpad(n::text, 8, '0'), 'corporate', 'ベンチ株式会社' || n, '', '', '', '', '', '', '', '', '', '', '',
    'active', '', now(), '', false
FROM generate_series(1, %(customers)s) AS n
"""

#: Contracts of every CXM2 item, all accepted in January 2025 and in force at the end of March.
CONTRACTS = """
INSERT INTO contracts_contract (number, customer_id, service_id, item_id, application_type, route, region,
    status, applied_on, accepted_on, billing_start_on, min_period_start_on, min_period_end_on,
    termination_reason, note, min_months, notice_days, prorated, initial_fee, monthly_fee, change_fee,
    line_fee, bandwidth_fee)
SELECT 'C' || lpad(n::text, 9, '0'), first.id + (n %% %(customers)s), 'cxm2',
    (ARRAY['cxm2.100m', 'cxm2.500m', 'cxm2.1g'])[1 + n %% 3], 'active', 'microsoft', 'tokyo',
    'active', DATE '2025-01-06', DATE '2025-01-10', DATE '2025-01-15', DATE '2025-01-15', DATE '2025-02-14',
    '', '', 1, 30, true, 50000, 60000 + 1000 * (n %% 7), 10000, 0, 0
FROM generate_series(1, %(rows)s) AS n, (SELECT min(id) AS id FROM customers_customer) AS first
"""


def fill(rows: int) -> float:
    started = time.perf_counter()
    customers = max(rows // 10, 1)
    with connection.cursor() as cursor:
        cursor.execute(CUSTOMERS, {"customers": customers})
        cursor.execute(CONTRACTS, {"rows": rows, "customers": customers})
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def export(fmt: str, database_url: str) -> tuple[float, int, int]:
    """(seconds, peak memory in MiB, file size in bytes) of the command run in a child process."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / f"report.{fmt}"
        command = [sys.executable, str(ROOT / "manage.py"), "export_monthly_report", "--month", MONTH]
        command += ["--format", fmt, "--output", str(output), "--verbosity", "0"]
        started = time.perf_counter()
        child = subprocess.Popen(command, env={**os.environ, "DATABASE_URL": database_url}, stdout=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest of all children
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"export_monthly_report --format {fmt} failed")
        return seconds, usage.ru_maxrss // 1024, output.stat().st_size


def export_in_process(fmt: str) -> float:
    """Seconds of the same export run in this process, as the command runs it (its counts included)."""
    from django.utils import translation

    from backoffice.months import Month
    from reports.sections import monthly_report
    from reports.writers import write

    with tempfile.TemporaryDirectory() as scratch, translation.override("ja"):
        started = time.perf_counter()
        report = monthly_report(Month.parse(MONTH))
        sum(section.size() for section in report.sections)
        write(report, fmt, Path(scratch) / f"report.{fmt}")
        return time.perf_counter() - started


def copy_main_query() -> tuple[float, int]:
    """(seconds, bytes) of COPY of the "contracts in force" section's query, read to the end."""
    from backoffice.months import Month
    from contracts import selectors
    from reports.sections.contracts import contract_values

    queryset = contract_values(selectors.contracts_in_force(on=Month.parse(MONTH).last_day))
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    started, size = time.perf_counter(), 0
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            size += len(chunk)
    return time.perf_counter() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/reports.py needs PostgreSQL: set DATABASE_URL=postgres://…")

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    settings = connection.settings_dict
    database_url = f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{name}"
    try:
        print(f"PostgreSQL: {args.rows:,} contracts in force in {MONTH}, filled in {fill(args.rows):.1f} s")
        print(f"{'export':28} {'seconds':>8} {'peak MiB':>9} {'MB':>8}")
        children, in_process = {}, {}
        for fmt in ("xlsx", "csv"):
            children[fmt], peak, size = export(fmt, database_url)
            print(f"{'report, ' + fmt + ', a command':28} {children[fmt]:8.1f} {peak:9d} {size / 1e6:8.1f}")
        for fmt in ("xlsx", "csv"):
            in_process[fmt] = export_in_process(fmt)
            print(f"{'report, ' + fmt + ', in process':28} {in_process[fmt]:8.1f}")
        floor, size = copy_main_query()
        print(f"{'COPY of the main query':28} {floor:8.1f} {'':>9} {size / 1e6:8.1f}")
        for fmt in ("xlsx", "csv"):
            print(f"{fmt}: {in_process[fmt] / floor:.1f}x COPY in process, {children[fmt] / floor:.1f}x as a command")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
