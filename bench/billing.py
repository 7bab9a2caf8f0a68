"""Benchmark: bill one month of N generated contracts (time and queries), beside one plain SQL statement.

Creates a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL when
DATABASE_URL points there), fills it with N CXM2 contracts in service (one customer per four
contracts, half of them billed from mid-month so they are prorated), then runs the month, runs it
again (nothing to add), and times one ``INSERT … SELECT`` writing the same number of rows. Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/billing.py --contracts 20000 [--close 100]

``--close N`` also bills December 2024 for N customers (their contracts moved to start then) and closes
it: one PDF per invoice.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PLAIN_SQL = """
INSERT INTO bench_lines (source_key, month_id, amount, description)
SELECT 'contract:' || id || ':monthly:2025-02', 1, monthly_fee, number FROM contracts_contract
"""


def fill(contracts: int) -> None:
    """Bulk rows straight into the tables: the benchmark measures the run, not the contract rules."""
    from contracts.choices import ApplicationType, Region, Route, Status
    from contracts.models import Contract
    from customers.models import Customer

    customers = Customer.objects.bulk_create(
        (Customer(code=f"B{i:07d}", kind="corporate", name=f"ベンチ株式会社{i}") for i in range(contracts // 4 or 1)),
        batch_size=2000,
    )
    Contract.objects.bulk_create(
        (
            Contract(
                number=f"C{i:09d}",
                customer=customers[i % len(customers)],
                service_id="cxm2",
                item_id="cxm2.100m",
                application_type=ApplicationType.ACTIVE,
                route=Route.MICROSOFT,
                region=Region.TOKYO,
                applied_on=date(2025, 1, 6),
                accepted_on=date(2025, 1, 10),
                status=Status.ACTIVE,
                billing_start_on=date(2025, 2, 15) if i % 2 else date(2025, 1, 15),
                min_period_start_on=date(2025, 1, 15),
                min_months=1,
                notice_days=30,
                prorated=True,
                initial_fee=0,
                monthly_fee=60_000,
                change_fee=10_000,
                line_fee=0,
                bandwidth_fee=0,
            )
            for i in range(contracts)
        ),
        batch_size=2000,
    )


def timed(label: str, action):
    """Run ``action``, printing its wall time, this process's CPU time (what load from other processes
    on a shared machine barely moves) and its queries."""
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = action()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:45} {elapsed:8.2f} s {cpu:8.2f} s CPU {len(queries):8d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20_000)
    parser.add_argument("--close", type=int, default=0, help="also close a month of this many invoices")
    args = parser.parse_args()

    from billing.closing import close_month
    from billing.models import InvoiceLine
    from billing.run import billing_month, run_month

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        fill(args.contracts)
        print(f"{connection.vendor}: {args.contracts} contracts of {args.contracts // 4 or 1} customers")
        month = billing_month(2025, 2)
        result = timed("run_billing 2025-02", lambda: run_month(month))
        print(f"{'':45} {result.invoices_created} invoices, {result.lines_created} lines")
        timed("run_billing 2025-02 again (changes nothing)", lambda: run_month(month))
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_lines (source_key varchar(120), month_id bigint, amount bigint, "
                "description varchar(300), UNIQUE (source_key, month_id))"
            )
        timed("one INSERT … SELECT of as many rows", plain_insert)
        assert InvoiceLine.objects.count() == args.contracts
        if args.close:
            small = _month_of_first_customers(args.close)
            timed(
                f"close a month of {args.close} invoices (PDFs)", lambda: close_month(small, issued_on=date(2025, 1, 1))
            )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def plain_insert() -> None:
    with connection.cursor() as cursor:
        cursor.execute(PLAIN_SQL)


def _month_of_first_customers(invoices: int):
    """December 2024, run: only the contracts of the first ``invoices`` customers are moved to start in it."""
    from billing.run import billing_month, run_month
    from contracts.models import Contract
    from customers.models import Customer

    first = Customer.objects.order_by("code").values("pk")[:invoices]
    Contract.objects.filter(customer__in=first).update(
        applied_on=date(2024, 11, 6),
        accepted_on=date(2024, 11, 10),
        billing_start_on=date(2024, 12, 1),
        min_period_start_on=date(2024, 12, 1),
    )
    month = billing_month(2024, 12)
    run_month(month)
    return month


if __name__ == "__main__":
    main()
