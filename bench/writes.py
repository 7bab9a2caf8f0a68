"""Benchmark: the write paths (query count and time of full_clean, accept, start_billing, an import).

Creates a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL when
DATABASE_URL points there), then measures each step on fresh CXM2 contracts and imports a
generated file of 300 customers (2,100 rows: customer, PBB, CXM2 + NAPT option, Smart HUB +
port option, ISP Platform, each accepted and billed). Usage:

    .venv/bin/python bench/writes.py [--repeat 20] [--customers 300]
"""

import argparse
import csv
import os
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.measure import measure  # noqa: E402

#: Issue 16's target for the contract import, every rule applied.
IMPORT_TARGET = 200  # rows/s

DATES = {"applied_on": "2025-01-06", "accepted_on": "2025-01-10", "billing_start_on": "2025-02-01"}


def cxm2_contract(customer):
    from contracts.choices import ApplicationType, Region, Route
    from contracts.models import Contract

    return Contract.objects.create(
        customer=customer,
        service_id="cxm2",
        item_id="cxm2.100m",
        application_type=ApplicationType.ACTIVE,
        route=Route.MICROSOFT,
        region=Region.TOKYO,
        applied_on=date(2025, 1, 6),
    )


def steps(repeat: int) -> dict[str, list]:
    """full_clean, accept and start_billing of ``repeat`` fresh CXM2 contracts."""
    from contracts.services import lifecycle
    from customers.models import Customer

    customer = Customer.objects.create(code="W0000001", kind="corporate", name="ベンチ株式会社")
    results = {"full_clean": [], "accept": [], "start_billing": []}
    for _ in range(repeat):
        contract = cxm2_contract(customer)
        with measure(results["full_clean"]):
            contract.full_clean()
        with measure(results["accept"]):
            lifecycle.accept(contract, on=date(2025, 1, 10))
        with measure(results["start_billing"]):
            lifecycle.start_billing(contract, on=date(2025, 1, 15))
    return results


def import_rows(customers: int) -> list[dict]:
    """Seven rows per customer, every contract and option accepted and billed."""
    rows = []
    for i in range(customers):
        code, pbb = f"K{i:06d}", f"PBB-{i:06d}"
        rows += [
            {
                "record": "customer",
                "code": code,
                "kind": "corporate",
                "name": f"株式会社ベンチ{i}",
                "name_kana": "ベンチ",
            },
            {
                "record": "related",
                "reference": pbb,
                "customer": code,
                "kind": "pbb",
                "started_on": "2020-04-01",
                "closed_network": f"CN-{i:06d}",
            },
            {
                "record": "contract",
                "number": f"CX-{i:06d}",
                "customer": code,
                "item": "cxm2.100m",
                "application_type": "active",
                "route": "microsoft",
                "region": "tokyo",
                **DATES,
            },
            {"record": "option", "contract": f"CX-{i:06d}", "kind": "cxm2.napt", **DATES},
            {
                "record": "contract",
                "number": f"SH-{i:06d}",
                "customer": code,
                "item": "smart_hub.base",
                "related_contract": pbb,
                **DATES,
            },
            {
                "record": "option",
                "contract": f"SH-{i:06d}",
                "kind": "smart_hub.onprem_port",
                "port_line": "fiber",
                "interface": "1g",
                **DATES,
            },
            {
                "record": "contract",
                "number": f"ISP-{i:06d}",
                "customer": code,
                "item": "isp_platform.ipoe",
                "building_type": "detached",
                "line_count": "120",
                **DATES,
            },
        ]
    return rows


def run_import(customers: int) -> tuple[list, int]:
    from contracts.importer import import_file

    rows = import_rows(customers)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(dict.fromkeys(column for row in rows for column in row)))
            writer.writeheader()
            writer.writerows(rows)
        results = []
        with measure(results):
            report = import_file(path)
    assert report.written and not report.refused, report.lines()[:5]
    return results, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--customers", type=int, default=300)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"{connection.vendor}")
        print(f"{'step':24} {'median ms':>10} {'queries':>8}")
        for name, results in steps(args.repeat).items():
            timings, queries = zip(*results, strict=True)
            print(f"{name:24} {statistics.median(timings):10.1f} {max(queries):8d}")
        (result,), row_count = run_import(args.customers)
        label = f"import {row_count} rows"
        rate = row_count / (result[0] / 1000)
        print(
            f"{label:24} {result[0]:10.0f} {result[1]:8d}   ({result[0] / row_count:.1f} ms, "
            f"{result[1] / row_count:.1f} queries per row)"
        )
        verdict = "met" if rate >= IMPORT_TARGET else "not met"
        print(f"{'':24} {rate:10.0f} rows/s (target ≥ {IMPORT_TARGET}: {verdict})")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
