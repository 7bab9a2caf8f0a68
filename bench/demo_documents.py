"""Benchmark: on a fresh clone, how soon after ``scripts/serve.sh`` answers are the demo's invoice documents ready,
and how long does a contract import queued meanwhile wait for the worker?

Clones this repository (its committed ``--ref``, HEAD by default) into a temporary folder with this checkout's
``.venv`` linked in, so the clone has a new SQLite database and no ``__pycache__`` of its own; with
``--cold-font-cache`` (root), fontconfig's caches (the system's and the user's) are moved aside for the run, as on a
machine whose fonts were never scanned, and put back afterwards. Then runs ``scripts/serve.sh`` on ``--port`` and, as
soon as ``/admin/login/`` answers, signs in as the demo's admin and uploads ``docs/examples/contracts.csv`` on the
contract import page (a dry run, the form's default), as staff would on a machine just set up. It waits until every
issued invoice has its document and the import has finished, then stops the server and its worker. Usage:

    .venv/bin/python bench/demo_documents.py [--ref main] [--port 8000] [--cold-font-cache]

Printed: when the server answered (after the set-up, the migrations and the seed), when the last document was
rendered after that (``InvoiceDocument.rendered_at``), the import's wait in the queue (job created → started) and
its end, the CPU seconds of the worker and of the server, and the load average before and after: on a shared
machine the wall-clock figures follow the free cores, the CPU seconds do not.
"""

import argparse
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-admin-2026"  # demo.management.commands.ensure_demo_login
IMPORT_FILE = ROOT / "docs" / "examples" / "contracts.csv"
TIMEOUT_S = 1800


def font_caches() -> list[Path]:
    """fontconfig's cache folders on this machine (/etc/fonts/fonts.conf's ``cachedir``s)."""
    home = Path.home()
    xdg = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return [Path("/var/cache/fontconfig"), xdg / "fontconfig", home / ".fontconfig"]


@contextmanager
def cold_font_cache(aside: Path):
    """Move fontconfig's caches aside for the block (whatever the run builds is dropped), then put them back."""
    moved = []
    try:
        for number, folder in enumerate(font_caches()):
            if folder.exists():
                target = aside / f"fontconfig-{number}"
                shutil.move(folder, target)
                moved.append((folder, target))
        yield
    finally:
        for folder, target in moved:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.move(target, folder)


def clone(ref: str, into: Path) -> Path:
    folder = into / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "checkout", "--quiet", ref], check=True)
    (folder / ".venv").symlink_to((ROOT / ".venv").resolve())
    return folder


def wait_for_answer(url: str, server: subprocess.Popen) -> float:
    while True:
        if server.poll() is not None:
            sys.exit(f"scripts/serve.sh stopped ({server.returncode}) before the server answered")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.time()
        except httpx.TransportError:
            pass
        time.sleep(0.1)


def csrf_token(page: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def queue_import(site: str) -> None:
    """Sign in as the demo's admin and upload the example file on the contract import page (a dry run)."""
    with httpx.Client(base_url=site, timeout=60) as http:
        login = http.get("/admin/login/")
        signed_in = http.post(
            "/admin/login/",
            data={"csrfmiddlewaretoken": csrf_token(login), "username": "admin", "password": PASSWORD},
            headers={"Referer": f"{site}/admin/login/"},
        )
        if signed_in.status_code != 302:
            sys.exit(f"could not sign in as the demo's admin ({signed_in.status_code})")
        page = http.get("/admin/contracts/contract/import/")
        started = http.post(
            "/admin/contracts/contract/import/",
            data={"csrfmiddlewaretoken": csrf_token(page), "dry_run": "on"},
            files={"file": (IMPORT_FILE.name, IMPORT_FILE.read_bytes(), "text/csv")},
            headers={"Referer": f"{site}/admin/contracts/contract/import/"},
        )
        if started.status_code != 302:
            sys.exit(f"the import page did not start the import ({started.status_code})")


def moment(value: str | None) -> float | None:
    """A time Django stored in SQLite (UTC) as seconds since the epoch."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()


def read_state(database: Path) -> dict | None:
    """Documents rendered of the invoices issued, the last one's time, and the import job's times."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
            issued, rendered, last = db.execute(
                "SELECT (SELECT count(*) FROM billing_invoice WHERE number IS NOT NULL),"
                " count(*), max(rendered_at) FROM billing_invoicedocument"
            ).fetchone()
            job = db.execute(
                "SELECT created_at, started_at, finished_at, state FROM jobs_job"
                " WHERE kind = 'contracts.import' ORDER BY id DESC LIMIT 1"
            ).fetchone()
    except sqlite3.OperationalError:  # not migrated yet, or a writer holds it a moment
        return None
    return {"issued": issued, "rendered": rendered, "last": moment(last), "import": job}


def cpu_seconds(group: int) -> dict[str, float]:
    """CPU seconds (user + system) of the worker and of the server (with its autoreloader) in ``group``."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {"worker": 0.0, "server": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if int(fields[2]) != group:  # the process group
            continue
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        if b"run_worker" in command:
            found["worker"] += seconds
        elif b"runserver" in command:
            found["server"] += seconds
    return found


def run(folder: Path, port: int) -> None:
    database = folder / "db.sqlite3"
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    began = time.time()
    server = subprocess.Popen(
        ["./scripts/serve.sh", f"127.0.0.1:{port}"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped together
    )
    try:
        site = f"http://127.0.0.1:{port}"
        answered = wait_for_answer(f"{site}/admin/login/", server)
        print(f"server answered {answered - began:.1f} s after serve.sh started (set-up, migrations, seed)")
        queue_import(site)
        while True:
            state = read_state(database)
            job = state and state["import"]
            if state and state["rendered"] == state["issued"] and job and job[2] is not None:
                break
            if time.time() - answered > TIMEOUT_S:
                sys.exit(f"not done after {TIMEOUT_S} s: {state}")
            time.sleep(0.5)
        cpu = cpu_seconds(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    created, started, finished = (moment(value) for value in job[:3])
    print(f"{state['issued']} invoice documents ready {state['last'] - answered:.1f} s after the server answered")
    print(
        f"import queued {created - answered:.1f} s after it answered, waited {started - created:.1f} s for the"
        f" worker, finished {finished - answered:.1f} s after it answered ({job[3]})"
    )
    print(f"CPU: worker {cpu['worker']:.1f} s, server {cpu['server']:.1f} s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="HEAD", help="what to clone (a branch, a commit); default HEAD")
    parser.add_argument("--port", type=int, default=8000, help="8000 for a ref whose serve.sh takes no address")
    parser.add_argument("--cold-font-cache", action="store_true", help="move fontconfig's caches aside (root)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="demo-documents-") as scratch:
        folder = clone(args.ref, Path(scratch))
        if args.cold_font_cache:
            with cold_font_cache(Path(scratch)):
                run(folder, args.port)
        else:
            run(folder, args.port)


if __name__ == "__main__":
    main()
