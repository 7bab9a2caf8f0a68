"""Benchmark: bill one month of N generated contracts (time and queries), beside plain SQL writing the same rows.

Creates a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL when
DATABASE_URL points there), fills it with N CXM2 contracts in service (one customer per four
contracts, half of them billed from mid-month so they are prorated), then runs the month, runs it
again (nothing to add), and on PostgreSQL times the floor: ``INSERT … SELECT`` statements writing the
rows the run wrote with their history (the invoices, the lines, and a creation history row of each) into
tables shaped like billing's own (``LIKE … INCLUDING ALL``: same columns, checks and indexes; no triggers
or foreign keys). The tables are analysed after filling, as autovacuum would have: without statistics
PostgreSQL joins the billable contracts to their customers by a nested loop over every pair. Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/billing.py --contracts 20000 [--close 100]

``--close N`` also bills December 2024 for N customers (their contracts moved to start then) and closes
it: numbers, dates and taxes (the documents are left to the job closing starts, which no worker runs here).
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

#: Temporary tables shaped like the run's four (a second month's rows, beside the run's own).
FLOOR_TABLES = {
    "bench_invoice": "billing_invoice",
    "bench_historicalinvoice": "billing_historicalinvoice",
    "bench_invoiceline": "billing_invoiceline",
    "bench_historicalinvoiceline": "billing_historicalinvoiceline",
}
#: The floor: the invoices and lines the run wrote, each with its creation history row, by plain SQL.
FLOOR_SQL = [
    """
    INSERT INTO bench_invoice (customer_id, month_id, period_start, period_end, subtotal, tax, total,
                               issuer_name, issuer_registration_number, customer_name)
    SELECT DISTINCT customer_id, %(month)s, DATE '2025-02-01', DATE '2025-02-28', 0, 0, 0, '', '', ''
    FROM contracts_contract
    """,
    """
    INSERT INTO bench_historicalinvoice (id, customer_id, month_id, period_start, period_end, subtotal, tax,
        total, issuer_name, issuer_registration_number, customer_name, history_date, history_change_reason,
        history_type)
    SELECT id, customer_id, month_id, period_start, period_end, subtotal, tax, total, issuer_name,
           issuer_registration_number, customer_name, now(), 'bench', '+'
    FROM bench_invoice
    """,
    """
    INSERT INTO bench_invoiceline (invoice_id, month_id, source_key, kind, description, occurred_on,
                                   contract_id, service_code, amount, tax_rate, reason)
    SELECT invoice.id, %(month)s, 'contract:' || contract.id || ':monthly:2025-02', 'monthly',
           '月額料金: ' || contract.item_id || ' (' || contract.number || ') 02/01〜02/28',
           DATE '2025-02-28', contract.id, contract.service_id, contract.monthly_fee, 10, ''
    FROM contracts_contract AS contract JOIN bench_invoice AS invoice USING (customer_id)
    """,
    """
    INSERT INTO bench_historicalinvoiceline (id, invoice_id, month_id, source_key, kind, description,
        occurred_on, contract_id, service_code, amount, tax_rate, reason, history_date,
        history_change_reason, history_type)
    SELECT id, invoice_id, month_id, source_key, kind, description, occurred_on, contract_id, service_code,
           amount, tax_rate, reason, now(), 'bench', '+'
    FROM bench_invoiceline
    """,
]


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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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
        started = time.perf_counter()
        run = timed("run_billing 2025-02", lambda: run_month(month))
        ran_s = time.perf_counter() - started
        print(f"{'':45} {run.invoices_created} invoices, {run.lines_created} lines")
        timed("run_billing 2025-02 again (changes nothing)", lambda: run_month(month))
        assert InvoiceLine.objects.count() == args.contracts
        if connection.vendor == "postgresql":
            floor_tables()
            started = time.perf_counter()
            floor = timed("INSERT … SELECT of those rows and their history", lambda: plain_insert(month.pk))
            floor_s = time.perf_counter() - started
            assert floor == [run.invoices_created, run.invoices_created, run.lines_created, run.lines_created]
            print(f"{'':45} run / floor: {ran_s / floor_s:.1f}× (target ≤ 20×)")
        if args.close:
            small = _month_of_first_customers(args.close)
            timed(f"close a month of {args.close} invoices", lambda: close_month(small, issued_on=date(2025, 1, 1)))
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def floor_tables() -> None:
    with connection.cursor() as cursor:
        for table, like in FLOOR_TABLES.items():
            cursor.execute(f"CREATE TEMP TABLE {table} (LIKE {like} INCLUDING ALL)")


def plain_insert(month: int) -> list[int]:
    """The floor: the run's rows and their history written by ``FLOOR_SQL``; the rows each statement wrote."""
    with connection.cursor() as cursor:
        counts = []
        for sql in FLOOR_SQL:
            cursor.execute(sql, {"month": month})
            counts.append(cursor.rowcount)
    return counts


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
