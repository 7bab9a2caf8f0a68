"""The two-node run's test (scripts/cluster.sh --check): staff in chromium through the proxy, the installation's
database read through PgBouncer, its workers found on Redis. Skipped unless the script started the cluster
(CLUSTER_URL); no Django test database is made, everything goes over the wire."""

import os
import re
import time
from pathlib import Path

import psycopg
import pytest

PASSWORD = "demo-admin-2026"  # ensure_demo_login's
STALLED_AFTER = int(os.environ.get("JOBS_STALLED_AFTER_SECONDS", "10"))


@pytest.fixture(scope="session")
def proxy() -> str:
    return os.environ["CLUSTER_URL"]


@pytest.fixture(scope="session")
def nodes() -> list[str]:
    return os.environ["CLUSTER_NODES"].split(",")


@pytest.fixture(scope="session")
def run_folder() -> Path:
    """The script's folder: each process's log and pid file."""
    return Path(os.environ["CLUSTER_RUN"])


@pytest.fixture(scope="session")
def sql():
    """``sql(query, *params)``: the rows of a query on the cluster's database, through the pooler (which keeps
    no prepared statement from one transaction to the next: none is made)."""
    with psycopg.connect(os.environ["CLUSTER_DATABASE_URL"], autocommit=True, prepare_threshold=None) as connection:
        yield lambda query, *params: connection.execute(query, params).fetchall()


@pytest.fixture
def as_role(browser, proxy):
    """``as_role(role)``: a Japanese tab signed in through the proxy as the demo's login for ``role``."""
    contexts = []

    def sign_in(role: str):
        context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{proxy}/admin/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def wait_until(what: str, check, seconds: float = 120):
    """Poll ``check()`` until it returns something true; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not (result := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(0.5)
    return result


def job_of(page) -> int:
    """The job whose page the tab shows (an upload, a run: each answers with its job's page or a link to it)."""
    return int(re.search(r"/admin/jobs/job/(\d+)/", page.url).group(1))


def finished(sql, job: int, seconds: float = 180) -> tuple:
    """Wait for ``job`` to end; it must end done. Returns (attempts, result)."""
    state, attempts, result, error = wait_until(
        f"job {job} to finish",
        lambda: next(
            iter(
                sql(
                    "SELECT state, attempts, result, error FROM jobs_job WHERE id = %s AND state IN ('done', 'failed')",
                    job,
                )
            ),
            None,
        ),
        seconds,
    )
    assert state == "done", error
    return attempts, result
