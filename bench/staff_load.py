"""Benchmark: signed-in staff reading the admin under gunicorn, as browsers do.

Each client signs in through the admin's sign-in form (the CSRF token of the page, the password checked by the
production hasher), then for ``--seconds`` reads, one page after another without pause, what its role reads every
day: the admin index, the lists of customers, contracts, invoices, equipment units and outages (plain, searched and
filtered), a change page of each (the first row of the list), the monitoring dashboard and the worklists the index
shows it. A client reads only the pages its index links to, so each role gets its own mix; any answer other than
200 is an error and is counted. Figures per client count: requests a second, p50, p95 and max, errors, the CPU
a request of gunicorn's processes, of the clients and of the whole machine, and the sign-in's cost (its POST,
p50 and max). ``--cpu N`` first reads each role's pages N times inside this process: the CPU of each, Django's
and its PostgreSQL backend's, and the queries.

Without ``--base`` it creates a throw-away PostgreSQL database (``test_<name>`` of DATABASE_URL; ``--keep`` keeps
it filled for the next run), fills it (the demo data of every app, then ``--rows`` contracts with their customers,
invoices, units and outages), makes one user per client in the roles' groups and starts gunicorn on it with the
production settings (``config.settings``; gunicorn reads ``gunicorn.conf.py`` unless ``--workers`` says
otherwise), with the second factor off (``TWO_FACTOR_REQUIRED=false``) and plain http. With ``--base URL`` it
starts nothing: the users come from ``--users`` and ``--password``, or are made in the database of DATABASE_URL.
Usage:

    DATABASE_URL=postgres://… .venv/bin/python bench/staff_load.py --clients 5 30 --seconds 30 [--keep]
    DATABASE_URL=postgres://… .venv/bin/python bench/staff_load.py --base https://proxy.example --clients 30
"""

import argparse
import html
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The production settings, so that users are hashed as production hashes them; the bench's own key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")  # the bench's users sign in with a password alone

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

ROLES = ("sales", "billing", "logistics", "approver", "auditor")
PORT = 8766

#: (name, path under the admin, a search, a filter): the changelists as staff open them. A client reads those
#: whose list its index links to.
LISTS = [
    ("customers", "customers/customer/", "株式会社", "kind__exact=corporate"),
    ("contracts", "contracts/contract/", "C00001", "status__exact=active&service__code__exact=cxm2"),
    ("invoices", "billing/invoice/", "ベンチ", "month__state__exact=closed"),
    ("units", "equipment/unit/", "BENCH", "status__exact=in_stock"),
    ("outages", "sla/outage/", "回線", "state__exact=confirmed&excluded__exact=0"),
]
DASHBOARD = "monitoring/dashboard/"


@dataclass
class Page:
    name: str
    path: str


@dataclass
class Figures:
    latencies: list = field(default_factory=list)  # (ms, page name)
    errors: list = field(default_factory=list)  # (status, path)
    signins: list = field(default_factory=list)  # ms of the sign-in's POST
    refused: list = field(default_factory=list)  # why a client could not start
    cpu: float = 0.0  # seconds of the server's processes while the pages were read
    client_cpu: float = 0.0  # of this process (the clients)
    machine_cpu: float = 0.0  # of every process on the machine (PostgreSQL's, other work's)
    health: list = field(default_factory=list)  # (status, ms, checks not OK) of /health/ asked once a second


class Browser:
    """One staff member's browser: one keep-alive connection, the cookies the site set, the CSRF token."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.connection = kind(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, bytes]:
        headers = {"Accept-Language": "ja", "User-Agent": "staff-load-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        for attempt in range(2):
            try:
                self.connection.request(method, path, data, headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # a worker closed the kept-alive connection: open another, once
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.getheader("Location", ""), content

    def sign_in(self, admin: str, username: str, password: str) -> float:
        """Sign in through the form; the POST's milliseconds."""
        status, _location, content = self.request("GET", f"{admin}login/?next={admin}")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or token is None:
            raise RuntimeError(f"the sign-in page answered {status}")
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": password,
            "otp_token": "",
            "next": admin,
        }
        started = time.perf_counter()
        status, location, _content = self.request("POST", f"{admin}login/?next={admin}", form)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 302 or "login" in location:
            raise RuntimeError(f"could not sign in ({status}): check the password and the lock-outs")
        return elapsed


def links(content: bytes, pattern: str) -> list[str]:
    return [html.unescape(m.decode()) for m in re.findall(rf'href="({pattern})"'.encode(), content)]


def pages_of(browser: Browser, admin: str, first_rows: dict[str, str | None], lock: threading.Lock) -> list[Page]:
    """What this user reads: the index, each list its index links to (plain, searched, filtered) with the
    change page of its first row (read once for all clients, in ``first_rows``), the dashboard and the worklists
    shown to it."""
    status, _location, index = browser.request("GET", admin)
    assert status == 200, status
    pages = [Page("index", admin)]
    for name, path, search, filtered in LISTS:
        if f'href="{admin}{path}"'.encode() not in index:
            continue
        pages += [Page(name, admin + path), Page(f"{name} search", f"{admin}{path}?{urlencode({'q': search})}")]
        pages.append(Page(f"{name} filter", f"{admin}{path}?{filtered}"))
        with lock:
            if path not in first_rows:
                _status, _location, content = browser.request("GET", admin + path)
                rows = links(content, re.escape(admin + path) + r"\d+/change/[^\"]*")
                first_rows[path] = rows[0] if rows else None
        if first_rows[path]:
            pages.append(Page(f"{name} change", first_rows[path]))
    if f'href="{admin}{DASHBOARD}"'.encode() in index:
        pages.append(Page("dashboard", admin + DASHBOARD))
    worklists = index.split(b'class="module worklists"', 1)[1:]
    for url in links(worklists[0] if worklists else b"", re.escape(admin) + r"[^\"]*\?[^\"]*"):
        pages.append(Page("worklist " + url.removeprefix(admin).split("/")[1], url))
    return pages


def run(base: str, admin: str, users: list[str], password: str, seconds: float, server: list[int]) -> Figures:
    """Each user signs in (all at once, as at the start of a day) and reads its pages for ``seconds``; the CPU
    the ``server``'s processes spent meanwhile."""
    figures, lock = Figures(), threading.Lock()
    state = {"stop": 0.0, "cpu": 0.0}
    first_rows: dict[str, str | None] = {}

    def start() -> None:  # once every client has signed in, before any reads
        state.update(cpu=cpu_seconds(server), client=time.process_time(), machine=machine_seconds())
        state["stop"] = time.monotonic() + seconds

    signed_in = threading.Barrier(len(users), action=start)

    def client(number: int, username: str) -> None:
        browser = Browser(base)
        try:
            figures.signins.append(browser.sign_in(admin, username, password))
            pages = pages_of(browser, admin, first_rows, lock)
        except (RuntimeError, AssertionError, OSError) as refusal:
            figures.refused.append(f"{username}: {refusal}")
            return
        finally:
            signed_in.wait()
        n = number
        while time.monotonic() < state["stop"]:
            page = pages[n % len(pages)]
            started = time.perf_counter()
            status, _location, _content = browser.request("GET", page.path)
            figures.latencies.append(((time.perf_counter() - started) * 1000, page.name))
            if status != 200:
                figures.errors.append((status, page.path))
            n += 1

    def watch_health() -> None:
        """Ask /health/ once a second while the pages are read, as the monitoring does (from this machine,
        an allowed network: no session)."""
        while not state["stop"] or time.monotonic() < state["stop"]:
            time.sleep(1)
            started = time.perf_counter()
            status, _location, content = Browser(base).request("GET", "/health/?format=json")
            checks = json.loads(content) if content.startswith(b"{") else {}
            figures.health.append(
                (status, (time.perf_counter() - started) * 1000, [k for k, v in checks.items() if v != "OK"])
            )

    threads = [threading.Thread(target=client, args=(i, user)) for i, user in enumerate(users)]
    threads.append(threading.Thread(target=watch_health))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.cpu = cpu_seconds(server) - state["cpu"]
    figures.client_cpu = time.process_time() - state["client"]
    figures.machine_cpu = machine_seconds() - state["machine"]
    if figures.refused:
        sys.exit("\n".join(figures.refused))
    return figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of these processes' threads so far, to the nanosecond (Linux's scheduler statistics)."""
    total = 0
    for pid in pids:
        for thread in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            try:
                total += int(thread.read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                continue
    return total / 1e9


def machine_seconds() -> float:
    """CPU time every core spent busy so far (Linux): user, nice, system, interrupts."""
    user, nice, system, _idle, _iowait, irq, softirq = map(int, Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def report(clients: int, seconds: float, figures: Figures) -> None:
    times = [ms for ms, _page in figures.latencies]
    count = len(times)
    line = (
        f"{clients:3d} clients: {count / seconds:6.1f} req/s  p50 {statistics.median(times):5.0f} ms  "
        f"p95 {percentile(times, 0.95):5.0f} ms  max {max(times):5.0f} ms  errors {len(figures.errors)}/{count}"
    )
    print(line)
    server = f"gunicorn {figures.cpu / count * 1000:.1f} ms, " if figures.cpu else ""
    print(
        f"             CPU a request: {server}clients {figures.client_cpu / count * 1000:.1f} ms, "
        f"whole machine {figures.machine_cpu / count * 1000:.1f} ms"
    )
    signins = figures.signins
    print(f"             sign-in POST: p50 {statistics.median(signins):.0f} ms, max {max(signins):.0f} ms")
    by_page: dict[str, list[float]] = {}
    for ms, page in figures.latencies:
        by_page.setdefault(page, []).append(ms)
    slowest = sorted(by_page.items(), key=lambda item: -statistics.median(item[1]))[:5]
    print("             slowest pages (p50): " + ", ".join(f"{p} {statistics.median(v):.0f} ms" for p, v in slowest))
    if figures.health:
        statuses = sorted({status for status, _ms, _failing in figures.health})
        failing = sorted({check for _status, _ms, checks in figures.health for check in checks})
        times = [ms for _status, ms, _failing in figures.health]
        print(
            f"             /health/ once a second: {len(times)} answers, "
            + ", ".join(f"{status} ×{sum(1 for s, _m, _f in figures.health if s == status)}" for status in statuses)
            + f", p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms"
            + (f", not OK: {', '.join(failing)}" if failing else "")
        )
    for status, path in sorted(set(figures.errors))[:10]:
        print(f"             error {status}: {path}")


def fill(rows: int) -> None:
    """The demo data of every app, then ``rows`` contracts (a customer per four, an option each), an issued
    invoice a customer, a unit in stock per ten contracts and an outage per fifty: lists of many pages."""
    from bench.admin_lists import fill as contracts
    from bench.receivables import invoices, month
    from billing.models import BillingMonth, MonthState
    from customers.models import Customer
    from demo.seed import seed
    from equipment.models import Unit, UnitModel
    from sla.models import Outage

    for line in seed():
        print(f"  {line}")
    contracts(0, rows)
    customers = list(Customer.objects.filter(code__startswith="B").order_by("code"))
    august = month(2026, 8)
    invoices([(customer, august, 66_000 + 1_100 * (i % 7)) for i, customer in enumerate(customers)], 5_000_000)
    closed = datetime(2026, 9, 1, tzinfo=UTC)
    BillingMonth.objects.filter(pk=august.pk).update(state=MonthState.CLOSED, closed_at=closed)
    model = UnitModel.objects.order_by("pk").first()
    Unit.objects.bulk_create(
        (
            Unit(serial=f"BENCH{i:07d}", unit_model=model, acquired_on=date(2025, 1, 6), acquisition_cost=80_000)
            for i in range(rows // 10)
        ),
        batch_size=2000,
    )
    start = datetime(2025, 1, 1, tzinfo=UTC)
    Outage.objects.bulk_create(
        (
            Outage(
                started_at=start + timedelta(hours=7 * i),
                ended_at=start + timedelta(hours=7 * i, minutes=40),
                cause=f"回線障害(ベンチ {i})",
            )
            for i in range(rows // 50)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def staff_users(count: int, password: str) -> list[str]:
    """``count`` staff users, the roles in turn, each in its role's group only (as ``ensure_role_logins``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    hashed = make_password(password)  # one hash for all: they share the password
    names = []
    for n in range(count):
        role = ROLES[n % len(ROLES)]
        user, _created = get_user_model().objects.update_or_create(
            username=f"bench-{role}-{n}", defaults={"password": hashed, "is_staff": True, "is_active": True}
        )
        user.groups.set([Group.objects.get(name=role)])
        names.append(user.username)
    return names


class InProcess:
    """The ``Browser`` interface over Django's test client: the same pages, read inside this process."""

    def __init__(self, user):
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, bytes]:
        response = self.client.get(path)
        return response.status_code, response.get("Location", ""), response.content


def backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend since it started (same machine only)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cpu_seconds([cursor.fetchone()[0]])


def cpu_per_page(users: list[str], admin: str, repeat: int) -> None:
    """Each role's pages read ``repeat`` times in this process (after one untimed read): the median CPU of
    Django (this process) and of PostgreSQL (the request's backend, its start included when connections are
    not kept, as the server has them: ``CONN_MAX_AGE``) and the queries. Then the sign-in's password hash."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password, get_hasher

    from bench.measure import Counter

    keep = connection.settings_dict["CONN_MAX_AGE"]
    print(f"CPU a request in one process (median of {repeat}; connections {'kept' if keep else 'one a request'})")
    print(f"{'role':10} {'page':30} {'Django ms':>9} {'PostgreSQL ms':>13} {'queries':>7}")
    seen, totals = set(), []
    for username in users:
        role = username.split("-")[1]
        if role in seen:
            continue
        seen.add(role)
        browser = InProcess(get_user_model().objects.get(username=username))
        for page in pages_of(browser, admin, {}, threading.Lock()):
            browser.request("GET", page.path)
            django_ms, database_ms, queries = [], [], 0
            for _ in range(repeat):
                counter = Counter()
                if not keep:
                    connection.close()  # the request connects, as the server's do
                database = backend_cpu() if keep else 0.0  # else the backend's whole life: this request
                started = time.process_time()
                with connection.execute_wrapper(counter):
                    status, _location, _content = browser.request("GET", page.path)
                django_ms.append((time.process_time() - started) * 1000)
                database_ms.append((backend_cpu() - database) * 1000)
                queries = counter.queries
                assert status == 200, (page.path, status)
            totals.append((statistics.median(django_ms), statistics.median(database_ms)))
            print(f"{role:10} {page.name:30} {totals[-1][0]:9.1f} {totals[-1][1]:13.1f} {queries:7d}")
    print(f"{'mean':41} {statistics.mean(t[0] for t in totals):9.1f} {statistics.mean(t[1] for t in totals):13.1f}")
    hasher, encoded = get_hasher(), get_user_model().objects.get(username=users[0]).password
    started = time.process_time()
    check_password("not the password", encoded)
    print(f"sign-in: {hasher.algorithm} checks a password in {(time.process_time() - started) * 1000:.0f} ms CPU")


def database_url() -> str:
    """The bench's database, with the options DATABASE_URL gives (``?conn_max_age=…``)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    options = urlsplit(os.environ["DATABASE_URL"]).query
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return url + (f"?{options}" if options else "")


def serve(workers: int | None, threads: int | None, log: Path) -> subprocess.Popen:
    """gunicorn on the bench's database with the production settings, as the deployment starts it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TWO_FACTOR_REQUIRED": "false",
        "SECURE_COOKIES": "false",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{PORT}"]
    command += ["--workers", str(workers)] if workers else []
    command += ["--threads", str(threads)] if threads else []
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    for _ in range(150):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            probe.request("GET", "/admin/login/")
            probe.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"gunicorn did not answer (its log: {log})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[5, 30], help="client counts, one run each")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rows", type=int, default=20_000, help="contracts besides the demo's")
    parser.add_argument("--keep", action="store_true", help="keep the filled database, and reuse it when kept")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="gunicorn threads a worker (default: gunicorn.conf.py's)")
    parser.add_argument("--base", help="the site to load (a proxy, a node): start nothing, fill nothing")
    parser.add_argument("--admin", default="/admin/", help="the admin's path (ADMIN_URL)")
    parser.add_argument("--users", nargs="+", help="with --base: the users to sign in as, taken in turn")
    parser.add_argument("--password", help="the users' password (default: a new one, with users made here)")
    parser.add_argument("--cpu", type=int, metavar="REPEAT", help="first each role's pages' CPU in one process")
    args = parser.parse_args()
    if connection.vendor != "postgresql" and not (args.base and args.users):
        sys.exit("bench/staff_load.py needs PostgreSQL (DATABASE_URL): gunicorn's workers share the database")
    password = args.password or secrets.token_urlsafe(16)
    users = args.users
    server = None
    if args.base:
        users = users or staff_users(max(args.clients), password)
        base = args.base.rstrip("/")
    else:
        name = connection.creation.create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
        from equipment.models import Unit

        if not Unit.objects.filter(serial__startswith="BENCH").exists():
            started = time.perf_counter()
            with transaction.atomic():  # all or nothing: a kept database is filled or empty
                fill(args.rows)
            print(f"filled {name} in {time.perf_counter() - started:.0f} s")
        users = staff_users(max(args.clients), password)
        if args.cpu:
            cpu_per_page(users, args.admin, args.cpu)
        connection.close()
        log = Path(tempfile.gettempdir()) / "staff_load_gunicorn.log"
        server = serve(args.workers, args.threads, log)
        base = f"http://127.0.0.1:{PORT}"
    try:
        print(f"{base}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the runs")
        for clients in args.clients:
            workers = children(server.pid) if server else []
            report(clients, args.seconds, run(base, args.admin, users[:clients], password, args.seconds, workers))
            print(f"             load average {os.getloadavg()[0]:.1f}")
    finally:
        if server:
            server.terminate()
            server.wait()
            connection.creation.destroy_test_db(name, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()
