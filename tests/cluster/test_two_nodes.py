"""The installation of two nodes (scripts/cluster.sh): staff work through nginx, each request may land on either
node, every connection goes through PgBouncer in transaction mode, files live in the S3 store and the tasks on
Redis. In order: sign in, run and close a month whose documents the workers render, prepare a report on one node
and download it from the other, import contracts and a bank file, then kill the worker that runs an import and
watch the other take it over."""

import os
import signal
import time
from pathlib import Path

import boto3
import psycopg
import pytest
from redis import Redis
from rq import Worker

from tests.receivables import zengin_bytes as z

from .conftest import STALLED_AFTER, finished, job_of, wait_until

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(not os.environ.get("CLUSTER_URL"), reason="needs the two-node run (scripts/cluster.sh --check)"),
]

MONTH = "2026-11-01"  # the demo's open month, already run once by the seed


def served(run_folder, node: str, request: str) -> list[str]:
    """The lines of node ``node``'s access log (gunicorn's) for requests starting with ``request``."""
    return [line for line in (run_folder / f"node-{node}.access.log").read_text().splitlines() if f'"{request}' in line]


def test_staff_signed_in_through_the_proxy_are_served_by_both_nodes(as_role, proxy, run_folder):
    page = as_role("billing")
    for _ in range(6):
        page.goto(f"{proxy}/admin/")
        assert page.locator("#user-tools").count() == 1  # the session is the same on either node
    assert served(run_folder, "a", "GET /admin/ ") and served(run_folder, "b", "GET /admin/ ")


def test_the_pooler_gives_the_web_its_statement_limit_and_the_workers_none(sql):
    web = os.environ["CLUSTER_DATABASE_URL"].replace("//backoffice@", "//backoffice_web@")
    with psycopg.connect(web, autocommit=True, prepare_threshold=None) as connection:
        limit = connection.execute("SHOW statement_timeout").fetchone()[0]
        assert limit not in ("0", "")
        with connection.transaction():  # a transaction's own limit, the pooler's way: SET LOCAL
            connection.execute("SET LOCAL statement_timeout = 200")
            with pytest.raises(psycopg.errors.QueryCanceled):
                connection.execute("SELECT pg_sleep(1)")
        assert connection.execute("SHOW statement_timeout").fetchone()[0] == limit  # nothing left behind
    assert sql("SHOW statement_timeout") == [("0",)]


def test_billing_runs_the_month_the_approver_closes_it_and_the_workers_render_its_documents(as_role, proxy, sql):
    ((month,),) = sql("SELECT id FROM billing_billingmonth WHERE month = %s", MONTH)
    billing = as_role("billing")
    billing.goto(f"{proxy}/admin/billing/billingmonth/")
    billing.check(f"input[name=_selected_action][value='{month}']")
    billing.select_option("select[name=action]", "run")
    billing.click("button[name=index]")
    billing.wait_for_selector("#step-action-form")
    if billing.locator("input[name=_next]").count():
        billing.click("input[name=_next]")
    billing.click("input[name=_confirm]")
    billing.click("ul.messagelist li.success a")  # the run is a job a worker does
    finished(sql, job_of(billing))

    approver = as_role("approver")
    approver.goto(f"{proxy}/admin/billing/billingmonth/")
    approver.check(f"input[name=_selected_action][value='{month}']")
    approver.select_option("select[name=action]", "close")
    approver.click("button[name=index]")
    approver.fill("#id_issued_on", "2026-12-01")
    if approver.locator("input[name=_next]").count():
        approver.click("input[name=_next]")
    approver.click("input[name=_confirm]")
    approver.wait_for_selector("ul.messagelist li.success")

    invoices = "FROM billing_invoice i WHERE i.month_id = %s AND i.number IS NOT NULL"
    ((issued,),) = sql(f"SELECT count(*) {invoices}", month)
    assert issued > 0
    wait_until(
        "every issued invoice's document",
        lambda: (
            sql(
                f"SELECT count(*) {invoices} AND EXISTS (SELECT FROM billing_invoicedocument d "
                "WHERE d.invoice_id = i.id)",
                month,
            )
            == [(issued,)]
        ),
        seconds=300,
    )
    ((invoice,),) = sql(f"SELECT i.id {invoices} ORDER BY i.id LIMIT 1", month)
    answer = billing.request.get(f"{proxy}/admin/billing/invoice/{invoice}/document/pdf/")
    assert answer.status == 200 and answer.body()[:5] == b"%PDF-"


def test_a_report_prepared_on_one_node_downloads_from_the_other(as_role, nodes, sql, run_folder):
    node_a, node_b = nodes
    page = as_role("billing")  # signed in through the proxy: the session cookie holds for either node's port
    page.goto(f"{node_a}/admin/reports/?month=2026-11")
    page.click("tr.report-file-xlsx input[type=submit]")
    page.wait_for_selector("ul.messagelist li")
    report, name = wait_until(
        "the prepared report",
        lambda: next(
            iter(
                sql(
                    "SELECT id, file FROM reports_preparedreport WHERE month = '2026-11' AND format = "
                    "'xlsx' AND file <> '' ORDER BY id DESC LIMIT 1"
                )
            ),
            None,
        ),
    )
    answer = page.request.get(f"{node_b}/admin/reports/prepared/{report}/")
    assert answer.status == 200 and answer.body()[:2] == b"PK"  # an xlsx is a zip
    assert served(run_folder, "b", f"GET /admin/reports/prepared/{report}/ ")
    assert not served(run_folder, "a", f"GET /admin/reports/prepared/{report}/ ")
    store = boto3.client(
        "s3",
        endpoint_url=os.environ["CLUSTER_S3_URL"],
        region_name="ap-northeast-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster-secret",
    )
    stored = store.head_object(Bucket="backoffice-cluster", Key=name)
    assert stored["ContentLength"] == len(answer.body())  # the file is the bucket's, not a node's disk's


def upload(page, path: str, name: str, data: bytes) -> int:
    """Upload a file on an import page, dry run unticked; returns the job the upload started."""
    page.goto(path)
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/plain", "buffer": data}])
    page.uncheck("#id_dry_run")
    page.click("#content-main form input[type=submit]")
    page.wait_for_url("**/admin/jobs/job/*/change/")
    return job_of(page)


def customers(prefix: str, count: int) -> bytes:
    """An import file of ``count`` corporate customers (docs/import.md's columns)."""
    header = Path("docs/examples/contracts.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
    rows = [f"customer,{prefix}{n:05d},,,,,corporate,,,,,,株式会社クラスタ{n},,,千代田区1-{n}" for n in range(count)]
    return (header + "\n".join(row + "," * (header.count(",") - row.count(",")) for row in rows) + "\n").encode()


def test_sales_import_contracts_and_billing_a_bank_file(as_role, proxy, sql):
    sales = as_role("sales")
    finished(sql, upload(sales, f"{proxy}/admin/contracts/contract/import/", "c.csv", customers("CL", 20)))
    assert sql("SELECT count(*) FROM customers_customer WHERE code LIKE 'CL%%'") == [(20,)]

    billing = as_role("billing")
    ((before,),) = sql("SELECT count(*) FROM receivables_payment")
    data = [z.notice_data(1, 11_000, "ｶ)ｸﾗｽﾀｼﾖｳｼﾞ"), z.notice_data(2, 5_500, "ｸﾗｽﾀ ﾀﾛｳ")]
    notice = b"\r\n".join([z.notice_header(), *data, z.notice_trailer(2, 16_500), z.end()])
    finished(sql, upload(billing, f"{proxy}/admin/receivables/bankfile/import/", "furikomi.txt", notice))
    assert sql("SELECT count(*) FROM receivables_payment") == [(before + 2,)]


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: an RQ work horse leaves its worker's process group)."""
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and (entry / "stat").exists() and parent(entry) == pid
    ]


def parent(entry: Path) -> int | None:
    try:
        return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None  # ended meanwhile


def test_a_killed_worker_is_taken_over_by_the_other(as_role, proxy, sql, run_folder):
    sales = as_role("sales")
    job = upload(sales, f"{proxy}/admin/contracts/contract/import/", "many.csv", customers("KW", 4000))
    wait_until(f"job {job} to start", lambda: sql("SELECT state FROM jobs_job WHERE id = %s", job) == [("running",)])
    pids = {int((run_folder / f"worker-{node}.pid").read_text()): node for node in "ab"}
    redis = Redis.from_url(os.environ["CLUSTER_REDIS_URL"])

    def on_it() -> list[int]:
        """The pid of the worker whose current task runs the job (RQ keeps each worker's current task)."""
        return [
            w.pid for w in Worker.all(redis) if (task := w.get_current_job()) and f"run_job({job})" in task.description
        ]

    busy = wait_until("the worker on the job", on_it)
    assert len(busy) == 1 and busy[0] in pids
    for pid in (busy[0], *children(busy[0])):  # the worker and its work horse (RQ forks one per task), mid-import
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    attempts, result = finished(sql, job, seconds=STALLED_AFTER * 3 + 240)
    assert attempts >= 2  # taken up again after its heartbeat stopped
    assert time.monotonic() - killed_at > STALLED_AFTER * 0.9
    assert sql("SELECT count(*) FROM customers_customer WHERE code LIKE 'KW%%'") == [(4000,)]  # each row once
    (survivor,) = set(pids) - set(busy)
    os.kill(survivor, 0)  # the other node's worker lives: it took the job up and did it
