"""Benchmark: the API's lists at real size, and a read mix under gunicorn.

Creates a throw-away test database (``test_<name>`` on PostgreSQL when DATABASE_URL points there, else SQLite in
memory), fills it with contracts (one option each, a customer per four; ``admin_lists.fill``) up to each size in
turn, and reads each list's first page and the page after it a few times at each size with a token. The last
column is each page's time at the largest size over its time at the smallest (the target: ≤ 1.5).

With ``--gunicorn`` (PostgreSQL only: the server's processes share the database), it then starts gunicorn on the
filled database and has ``--clients`` threads read a mix of lists, rows and filtered lists for ``--seconds``:
requests a second, p50 and p95. Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/api.py --rows 1000 100000 --gunicorn
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # a throw-away database

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from admin_lists import fill  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from measure import Counter  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

PAGES = [
    "/api/v1/customers",
    "/api/v1/contracts",
    "/api/v1/contracts?status=active",
    "/api/v1/contracts?service=cxm2&limit=200",
    "/api/v1/options",
]


def measure(client, page: str, repeat: int) -> tuple[float, float, int]:
    """(median ms of the first page, median ms of the next page, queries of one page), after an untimed read."""
    first_page = client.get(page)
    assert first_page.status_code == 200, (page, first_page.status_code, first_page.content[:300])
    following = first_page.json()["next"]
    firsts, nexts = [], []
    for _ in range(repeat):
        counter = Counter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            client.get(page)
            firsts.append((time.perf_counter() - started) * 1000)
        if following:
            started = time.perf_counter()
            client.get(following)
            nexts.append((time.perf_counter() - started) * 1000)
    return statistics.median(firsts), statistics.median(nexts or [0.0]), counter.queries


def read_mix(base: str, token: str, clients: int, seconds: float) -> list[float]:
    """Latencies (ms) of ``clients`` threads reading lists, filtered lists and rows for ``seconds``."""
    paths = [*PAGES, "/api/v1/contracts/1", "/api/v1/customers/1", "/api/v1/contracts?customer_code=B0000001"]
    latencies, errors, stop = [], [], time.monotonic() + seconds

    def run(offset: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            n = offset
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = http.get(paths[n % len(paths)])
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors.append(response.status_code)
                n += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, sorted(set(errors))
    return latencies


def serve(workers: int, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"],
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/customers", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 100_000], help="sizes, smallest first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--gunicorn", action="store_true", help="also the read mix under gunicorn (PostgreSQL)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, nargs="+", default=[5, 30])
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from api import tokens
    from api.models import ApiToken

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        token = ApiToken(
            user=user, name="bench", expires_at=timezone.now() + timedelta(days=1), requests_per_minute=10_000
        )
        raw = tokens.issue(token, by=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        floor, filled = {}, 0
        for rows in args.rows:
            started = time.perf_counter()
            fill(filled, rows)
            filled = rows
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"\n{connection.vendor}: {rows} contracts, filled in {time.perf_counter() - started:.1f} s")
            print(f"{'list':45} {'page 1 ms':>9} {'page 2 ms':>9} {'queries':>7} {'× first':>7}")
            for page in PAGES:
                first, following, count = measure(client, page, args.repeat)
                floor.setdefault(page, first)
                print(f"{page:45} {first:9.1f} {following:9.1f} {count:7d} {first / floor[page]:7.2f}")
        if args.gunicorn:
            connection.close()
            server = serve(args.workers, 8765)
            try:
                for clients in args.clients:
                    latencies = sorted(read_mix("http://127.0.0.1:8765", raw, clients, args.seconds))
                    p95 = latencies[int(len(latencies) * 0.95)]
                    print(
                        f"gunicorn -w {args.workers}, {clients} clients: {len(latencies) / args.seconds:.0f} req/s, "
                        f"p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms"
                    )
            finally:
                server.terminate()
                server.wait()
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
