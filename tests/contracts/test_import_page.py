"""The contract import from the admin: the file is checked as a whole on the page, then a job imports it
with every rule applied, in the language of whoever started it, and the job's page holds the report."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from customers.models import Customer
from jobs.models import Job, JobState

pytestmark = pytest.mark.django_db

URL = "admin:contracts_contract_import"
EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "contracts.csv"


def _post(client, content: bytes, name="contracts.csv", **flags):
    data = {"file": SimpleUploadedFile(name, content), **{flag: "on" for flag, on in flags.items() if on}}
    return client.post(reverse(URL), data)


def test_a_dry_run_then_the_import_each_a_job_with_its_report(login_as_role, worked_off):
    sales = login_as_role("sales")
    assert reverse(URL) in sales.get(reverse("admin:contracts_contract_changelist")).content.decode()
    with worked_off():
        response = _post(sales, EXAMPLE.read_bytes(), dry_run=True)
    job = Job.objects.get()
    assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.state == JobState.DONE and "0 refused" in job.result and Contract.objects.count() == 0
    with worked_off():
        _post(sales, EXAMPLE.read_bytes())
    job = Job.objects.latest("pk")
    assert (job.state, job.done, job.total) == (JobState.DONE, job.total, job.total)
    assert Contract.objects.exists() and job.upload.sha256 and job.upload.size == len(EXAMPLE.read_bytes())
    page = sales.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert job.result.splitlines()[0] in page


def test_the_same_file_twice_writes_nothing_more_and_lists_the_refusals(login_as_role, worked_off):
    sales = login_as_role("sales")
    with worked_off():
        _post(sales, EXAMPLE.read_bytes())
    contracts = Contract.objects.count()
    with worked_off():
        _post(sales, EXAMPLE.read_bytes())
    job = Job.objects.latest("pk")
    assert Contract.objects.count() == contracts
    refused = job.result.splitlines()[1:]
    assert refused and all("\t" in line for line in refused)
    # The advice names the page's choice, not the command's option.
    assert "“keep the ok rows when some are refused” ticked" in job.result and "--partial" not in job.result


def test_a_file_that_cannot_be_read_is_refused_on_the_page_and_starts_no_job(login_as_role):
    sales = login_as_role("sales")
    for name, content, says in [
        ("contracts.txt", b"record\n", ".csv or .json"),
        ("contracts.csv", b"\xff\xfe\x00bad", "not UTF-8"),
        ("contracts.csv", "record,code,name\ncustomer,K1,株式会社テスト\n".encode("cp932"), "“CSV UTF-8"),
        ("contracts.csv", b"serial\nA-1\n", "record"),
    ]:
        response = _post(sales, content, name=name)
        assert response.status_code == 200
        assert says in " ".join(response.context["form"].errors["file"])
    assert not Job.objects.exists() and not Customer.objects.exists()


def test_only_who_adds_customers_and_contracts_imports(login_as_role):
    for role in ("logistics", "billing", "approver", "auditor"):
        assert login_as_role(role).get(reverse(URL)).status_code == 403
    assert login_as_role("sales").get(reverse(URL)).status_code == 200


def test_the_jobs_open_link_lists_the_contracts_the_import_wrote_and_no_other(login_as_role, worked_off):
    from contracts.choices import ServiceCode
    from tests import factories as f

    other = f.contract(ServiceCode.CXM2)
    sales = login_as_role("sales")
    with worked_off():
        _post(sales, EXAMPLE.read_bytes(), dry_run=True)
    assert Job.objects.get().result_url == ""  # a dry run wrote nothing to open
    with worked_off():
        _post(sales, EXAMPLE.read_bytes())
    job = Job.objects.latest("pk")
    listed = sales.get(job.result_url).context["cl"].result_list
    in_file = {line.split(",")[2] for line in EXAMPLE.read_text().splitlines() if line.startswith("contract,")}
    assert {contract.number for contract in listed} == in_file and other.number not in in_file
