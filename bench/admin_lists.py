"""Benchmark: admin changelists at real size (time per page and query count).

Creates a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL when
DATABASE_URL points there), fills it with contracts (one option each, a customer per four) up to
each size in turn, and requests each list page a few times at each size. The last column is each
page's time at the largest size over its time at the smallest (the target: ≤ 1.5), beside the
slowest query of the page at that size. Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/admin_lists.py --rows 1000 100000
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    "/admin/customers/customer/",
    "/admin/customers/relatedcontract/",
    "/admin/contracts/contract/",
    "/admin/contracts/contract/?status__exact=active",
    "/admin/contracts/contract/?q=C0",
    "/admin/contracts/contractoption/",
]


def fill(start: int, rows: int) -> None:
    """Contracts ``start``… up to ``rows``, bulk into the tables: the benchmark measures reading, not the rules."""
    from contracts.choices import ApplicationType, Region, Route, Status
    from contracts.models import Contract, ContractOption
    from customers.models import Customer

    customers = Customer.objects.bulk_create(
        (
            Customer(code=f"B{i:07d}", kind="corporate", name=f"ベンチ株式会社{i}")
            for i in range(start // 4, rows // 4 or 1)
        ),
        batch_size=2000,
    )
    accepted = {
        "accepted_on": date(2025, 1, 10),
        "min_months": 1,
        "notice_days": 30,
        "prorated": True,
        "initial_fee": 0,
        "monthly_fee": 60000,
        "change_fee": 10000,
    }
    contracts = Contract.objects.bulk_create(
        (
            Contract(
                number=f"C{i:09d}",
                customer=customers[(i - start) % len(customers)],
                service_id="cxm2",
                item_id="cxm2.100m",
                application_type=ApplicationType.ACTIVE,
                route=Route.MICROSOFT,
                region=Region.TOKYO,
                applied_on=date(2025, 1, 6),
                status=Status.ACTIVE,
                billing_start_on=date(2025, 1, 15),
                min_period_start_on=date(2025, 1, 15),
                line_fee=0,
                bandwidth_fee=0,
                **accepted,
            )
            for i in range(start, rows)
        ),
        batch_size=2000,
    )
    ContractOption.objects.bulk_create(
        (
            ContractOption(
                contract=c,
                kind_id="cxm2.napt",
                applied_on=date(2025, 1, 6),
                status=Status.ACCEPTED,
                cancellation_fee=0,
                **accepted,
            )
            for c in contracts
        ),
        batch_size=2000,
    )


def measure(client, page: str, repeat: int) -> tuple[float, int, tuple[float, str]]:
    """(median ms, queries, (ms, SQL) of the slowest query) of ``repeat`` requests of ``page``, after one
    untimed request (the first pays for template loading and cold caches, whatever the size)."""
    client.get(page)
    timings, slowest = [], (0.0, "")
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.get(page)
            timings.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (page, response.status_code)
        slowest = max([slowest, *((float(q["time"]) * 1000, q["sql"]) for q in queries)])
    return statistics.median(timings), len(queries), slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 100_000], help="sizes, smallest first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print each page's slowest query in full")
    args = parser.parse_args()

    from django.contrib.auth import get_user_model

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        client = Client()
        client.force_login(user)
        floor, filled = {}, 0
        for rows in args.rows:
            started = time.perf_counter()
            fill(filled, rows)
            filled = rows
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(
                f"\n{connection.vendor}: {rows} contracts, {rows} options, filled in "
                f"{time.perf_counter() - started:.1f} s"
            )
            print(f"{'page':50} {'median ms':>9} {'queries':>7} {'× first':>7} {'slowest query ms':>16}")
            for page in PAGES:
                median, count, (slow_ms, slow_sql) = measure(client, page, args.repeat)
                floor.setdefault(page, median)
                print(f"{page:50} {median:9.1f} {count:7d} {median / floor[page]:7.2f} {slow_ms:16.1f}")
                if args.sql:
                    print(f"    {slow_sql}")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
