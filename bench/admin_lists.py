"""Benchmark: admin changelists at real size (time per page and query count).

Creates a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL when
DATABASE_URL points there), fills it with N customers and contracts with options, and requests
each list page a few times. Usage:

    .venv/bin/python bench/admin_lists.py --rows 20000
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


def fill(rows: int) -> None:
    """Bulk rows straight into the tables: the benchmark measures reading, not the rules."""
    from contracts.choices import ApplicationType, Region, Route, Status
    from contracts.models import Contract, ContractOption
    from customers.models import Customer

    customers = Customer.objects.bulk_create(
        Customer(code=f"B{i:07d}", kind="corporate", name=f"ベンチ株式会社{i}") for i in range(rows // 4 or 1)
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
                customer=customers[i % len(customers)],
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
            for i in range(rows)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from django.contrib.auth import get_user_model

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        fill(args.rows)
        print(
            f"{connection.vendor}: {args.rows} contracts, {args.rows} options, filled in "
            f"{time.perf_counter() - started:.1f} s"
        )
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        client = Client()
        client.force_login(user)
        print(f"{'page':55} {'median ms':>10} {'queries':>8}")
        for page in PAGES:
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    response = client.get(page)
                    timings.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (page, response.status_code)
            print(f"{page:55} {statistics.median(timings):10.1f} {len(queries):8d}")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
