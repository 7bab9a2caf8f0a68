"""Benchmark: a month-end's bank file imported and matched, and the aging list at 1k/100k invoices.

Creates a throw-away test database (SQLite in memory, or ``test_<name>`` on PostgreSQL when
DATABASE_URL points there). First a 振込入金通知 of ``--transfers`` records (written field by field from
the published layout by the tests' writer) against as many customers owing one invoice each: the import
alone, the automatic match of its payments (set-wise), and, on ``--before`` of them and rolled back, the
one-at-a-time match it replaces. Then the tables are emptied and filled with ``--invoices`` issued
invoices in turn (ten months of a customer per ten invoices, most of them paid), timing the receivables
list and its aging (the admin page) and ``selectors.aging`` alone; ``× first`` is a size's time over the
first size's (target ≤ 1.5). Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/receivables.py --transfers 10000 --invoices 1000 100000
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.measure import measure  # noqa: E402

#: Issue 26's targets: the automatic match including its allocations and history, and the aging list.
MATCH_TARGET = 500  # records/s
AGING_TARGET = 1.5  # the largest size's time over the smallest's

#: Kana as customers register them and as banks write them (half-width), spelling a customer's number.
SYLLABLES = [("ア", "ｱ"), ("カ", "ｶ"), ("サ", "ｻ"), ("タ", "ﾀ"), ("ナ", "ﾅ"), ("ハ", "ﾊ"), ("マ", "ﾏ"), ("ヤ", "ﾔ"),
             ("ラ", "ﾗ"), ("ガ", "ｶﾞ"), ("ダ", "ﾀﾞ"), ("キ", "ｷ"), ("シ", "ｼ"), ("ト", "ﾄ")]  # fmt: skip
TOTALS = [3_300, 5_500, 11_000, 16_500, 22_000, 33_000, 55_000]
LIST = "/admin/receivables/receivable/"


def spelt(number: int) -> tuple[str, str]:
    """A customer's own kana name (full-width, and half-width as a bank writes it), unique per number."""
    full, half = "", ""
    for _place in range(6):
        number, digit = divmod(number, len(SYLLABLES))
        full, half = full + SYLLABLES[digit][0], half + SYLLABLES[digit][1]
    return full, half


def customers(first: int, count: int, prefix: str):
    from customers.models import Customer

    rows = [
        Customer(code=f"{prefix}{i:07d}", kind="corporate", name=f"ベンチ{i}株式会社", name_kana=spelt(i)[0])
        for i in range(first, first + count)
    ]
    Customer.objects.bulk_create(rows, batch_size=2_000)
    return list(Customer.objects.filter(code__startswith=prefix).order_by("code"))[first:]


def month(year: int, number: int):
    from billing.models import BillingMonth

    return BillingMonth.objects.get_or_create(month=date(year, number, 1))[0]


def invoices(rows: list[tuple], first_number: int):
    """``rows`` of (customer, billing month, total): issued invoices, due at the next month's end, each with
    its stored balance as the closing leaves it."""
    from billing.models import Invoice
    from receivables.services import balances

    built = []
    for offset, (customer, billing_month, total) in enumerate(rows):
        start = billing_month.month
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        built.append(
            Invoice(
                customer=customer,
                month=billing_month,
                number=first_number + offset,
                issued_on=following,
                due_on=following.replace(day=28),
                period_start=start,
                period_end=following.replace(day=1),
                subtotal=total,
                total=total,
                issuer_registration_number="T7123456789012",
                customer_name=customer.name,
            )
        )
    Invoice.objects.bulk_create(built, batch_size=2_000)
    for start in range(0, len(built), 2_000):
        balances.refresh(row.pk for row in built[start : start + 2_000])


def bank_files(count: int, totals: list[int], per_file: int) -> list[bytes]:
    """A 振込入金通知 of ``count`` transfers: most pay their invoice, some less a transfer fee, some under a
    registered transfer name; one in twenty a wrong amount and one in twenty a name nobody has."""
    from tests.receivables import zengin_bytes as z

    files, records, total = [], [], 0
    for i in range(count):
        _full, half = spelt(count + i if i % 20 == 19 else i)  # past the last customer: nobody's
        amount = totals[i] - (660 if i % 10 == 3 else 0) + (1 if i % 20 == 7 else 0)
        payer = [f"ｶ){half}", f"{half}(ｶ", half, f"ﾌﾘｺﾐ{i:06d}"][i % 4]
        records.append(z.notice_data(i + 1, amount, payer[:48], booked="070331"))
        total += amount
        if len(records) == per_file or i == count - 1:
            trailer = z.notice_trailer(len(records), total)
            files.append(b"\r\n".join([z.notice_header(), *records, trailer, z.end()]) + b"\r\n")
            records, total = [], 0
    return files


def match_month_end(count: int, before: int, user) -> None:
    from backoffice.names import key
    from receivables import matching
    from receivables.models import Allocation, Payment, TransferName
    from receivables.services import bank_import

    started = time.perf_counter()
    people = customers(0, count, "M")
    totals = [TOTALS[i % len(TOTALS)] for i in range(count)]
    invoices([(person, month(2025, 2), total) for person, total in zip(people, totals, strict=True)], 1)
    TransferName.objects.bulk_create(
        [TransferName(customer=people[i], name=f"ﾌﾘｺﾐ{i:06d}", key=key(f"ﾌﾘｺﾐ{i:06d}")) for i in range(3, count, 4)]
    )
    # SQLite refuses the import's duplicate check of more than ~1,000 references (an OR per record, past its
    # expression depth): there the file is cut into files of 900 records, imported one after the other.
    data = bank_files(count, totals, count if connection.vendor == "postgresql" else 900)
    analyse()
    elapsed = time.perf_counter() - started
    print(f"\n{connection.vendor}: {count} customers owing one invoice each, filled in {elapsed:.1f} s")

    imported = []
    waiting = lambda payments, by=None: (0, len(payments))  # noqa: E731  (the import alone)
    original, bank_import.match_unmatched = bank_import.match_unmatched, waiting
    try:
        with measure(imported):
            reports = [
                bank_import.import_bank_file(part, name=f"month-end-{n}.txt", by=user) for n, part in enumerate(data)
            ]
    finally:
        bank_import.match_unmatched = original
    assert sum(r.written for r in reports) == count and not any(r.refused for r in reports), reports[0].lines[:3]
    payments = list(Payment.objects.order_by("bank_file_id", "row"))
    print(f"{'':34} ({len(data)} file{'s' if len(data) > 1 else ''})")

    print(f"{'step':34} {'records':>8} {'ms':>9} {'records/s':>10} {'queries':>8} {'per record':>10}")
    line("import (parse, check, write)", count, *imported[0])
    if before:
        one_at_a_time = []
        with transaction.atomic():
            with measure(one_at_a_time):
                matching.match_each(payments[:before], by=user)
            transaction.set_rollback(True)
        line("match one at a time (before)", before, *one_at_a_time[0])
    matched = []
    with measure(matched):
        done, left = matching.match_unmatched(payments, by=user)
    rate = line("match set-wise (after)", count, *matched[0])
    history = Allocation.history.filter(history_user=user).count()
    print(f"{'':34} {done} matched, {left} left; {Allocation.objects.count()} allocations, {history} history rows")
    print(f"{'':34} target ≥ {MATCH_TARGET} records/s: {'met' if rate >= MATCH_TARGET else 'not met'}")


def line(label: str, records: int, ms: float, queries: int) -> float:
    rate = records / (ms / 1000)
    print(f"{label:34} {records:8d} {ms:9.0f} {rate:10.1f} {queries:8d} {queries / records:10.2f}")
    return rate


def fill_aging(filled: int, size: int) -> None:
    """Invoices up to ``size``: customers of ten monthly invoices, the older ones mostly paid."""
    from receivables.models import Allocation, Payment
    from receivables.services import balances

    months = [
        month(
            2024 + (5 + m) // 12,
            (5 + m) % 12 + 1,
        )
        for m in range(10)
    ]  # 2024-06 … 2025-03
    people = customers(filled // 10, (size - filled) // 10, "A")
    rows = [(person, billing_month, TOTALS[(person.pk + m) % len(TOTALS)]) for person in people
            for m, billing_month in enumerate(months)]  # fmt: skip
    invoices(rows, 1_000_000 + filled)
    from billing.models import Invoice

    paid = []
    for pk, customer_id, total, issued_on, m in Invoice.objects.filter(number__gte=1_000_000 + filled).values_list(
        "pk", "customer_id", "total", "issued_on", "month__month__month"
    ):
        if (pk * 7919) % 100 < (95 if m != 3 else 40):  # the last month mostly still owed
            paid.append((pk, customer_id, total, issued_on))
    payments = [
        Payment(
            source="manual", received_on=on, amount=total, payer_name="ﾍﾞﾝﾁ", customer_id=customer_id, allocated=total
        )
        for _pk, customer_id, total, on in paid
    ]
    Payment.objects.bulk_create(payments, batch_size=2_000)
    Allocation.objects.bulk_create(
        [
            Allocation(
                payment=payment, invoice_id=pk, customer_id=customer_id, kind="payment", amount=total, booked_on=on
            )
            for payment, (pk, customer_id, total, on) in zip(payments, paid, strict=True)
        ],
        batch_size=2_000,
    )
    for start in range(0, len(paid), 2_000):
        balances.refresh(pk for pk, *_rest in paid[start : start + 2_000])


def time_aging(client, repeat: int) -> dict[str, tuple]:
    from receivables import selectors

    results = {}
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            selectors.aging(date(2025, 4, 15))
            timings.append((time.perf_counter() - started) * 1000)
    results["selectors.aging"] = (statistics.median(timings), len(queries.captured_queries), (max(timings), ""))
    client.get(LIST)  # untimed: templates and caches warm
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(LIST)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    slowest = max(((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries), default=(0, ""))
    results["receivables list with aging"] = (statistics.median(timings), len(queries.captured_queries), slowest)
    return results


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=10_000, help="records of the bank file (0: none)")
    parser.add_argument("--before", type=int, default=0, help="payments matched one at a time, for comparison")
    parser.add_argument("--invoices", type=int, nargs="*", default=[1_000, 100_000], help="sizes, smallest first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print the list's slowest query in full")
    parser.add_argument("--explain", action="store_true", help="and its plan (PostgreSQL: EXPLAIN ANALYZE)")
    args = parser.parse_args()

    from django.contrib.auth import get_user_model

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        if args.transfers:
            match_month_end(args.transfers, args.before, user)
        call_command("flush", interactive=False, verbosity=0)
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        client = Client()
        client.force_login(user)
        floor, filled = {}, 0
        for size in args.invoices:
            started = time.perf_counter()
            fill_aging(filled, size)
            filled = size
            analyse()
            print(f"\n{connection.vendor}: {size} issued invoices, filled in {time.perf_counter() - started:.1f} s")
            print(f"{'page':30} {'median ms':>9} {'queries':>7} {'× first':>7} {'slowest query ms':>16}")
            for name, (median, count, (slow_ms, slow_sql)) in time_aging(client, args.repeat).items():
                floor.setdefault(name, median)
                print(f"{name:30} {median:9.1f} {count:7d} {median / floor[name]:7.2f} {slow_ms:16.1f}")
                if args.sql and slow_sql:
                    print(f"    {slow_sql}")
                if args.explain and slow_sql and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXPLAIN ANALYZE {slow_sql}")
                        print("\n".join(f"    {row}" for (row,) in cursor.fetchall()))
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
