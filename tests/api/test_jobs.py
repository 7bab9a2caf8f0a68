"""Jobs through the API: each user sees the jobs the admin's jobs page shows them (the auditor every job), and
a contract import uploaded as on the admin's page starts its job (202, followed at Location)."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.client import encode_multipart
from django.test.utils import CaptureQueriesContext

from api.models import Access
from contracts.models import Contract
from jobs import kinds
from jobs.models import Job, JobState

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "contracts.csv"
OPENAPI = Path(settings.BASE_DIR) / "api" / "openapi.yaml"


def _jobs(user, count: int):
    for n in range(count):
        Job.objects.create(kind="contracts.import", description=f"Import of f{n}.csv", started_by=user)


def test_a_user_sees_their_own_jobs_at_the_same_cost_for_3_and_30(api_as, role_user):
    client = api_as("sales", Access.READ)
    _jobs(role_user("billing"), 2)
    _jobs(client.user, 3)
    client.get("/api/v1/jobs")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as three:
        rows = client.get("/api/v1/jobs").json()["results"]
    assert {row["started_by"] for row in rows} == {client.user.username} and len(rows) == 3
    _jobs(client.user, 27)
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get("/api/v1/jobs?limit=100").json()["results"]) == 30
    assert len(thirty) == len(three)
    row = rows[0]
    assert (row["kind"], row["kind_label"], row["state"]) == (
        "contracts.import",
        "Contract import from a file",
        JobState.QUEUED,
    )
    assert {"done", "committed", "total", "result", "error", "created_at", "finished_at"} <= set(row)


def test_another_users_job_is_not_found_but_the_auditor_sees_every_job(api_as, role_user):
    _jobs(role_user("billing"), 1)
    job = Job.objects.get()
    assert api_as("sales", Access.READ).get(f"/api/v1/jobs/{job.pk}").status_code == 404
    auditor = api_as("auditor", Access.READ)
    assert auditor.get(f"/api/v1/jobs/{job.pk}").json()["started_by"] == "api-billing"
    assert [row["id"] for row in auditor.get("/api/v1/jobs").json()["results"]] == [job.pk]


def test_job_filters(api_as):
    client = api_as("sales", Access.READ)
    _jobs(client.user, 2)
    Job.objects.filter(description="Import of f1.csv").update(state=JobState.DONE)
    assert [row["description"] for row in client.get("/api/v1/jobs?state=done").json()["results"]] == [
        "Import of f1.csv"
    ]
    assert len(client.get("/api/v1/jobs?description=F0").json()["results"]) == 1
    assert len(client.get("/api/v1/jobs?kind=contracts.import").json()["results"]) == 2
    assert client.get("/api/v1/jobs?kind=nothing").status_code == 400


def test_the_schema_names_every_kind_the_apps_register():
    """A client learns from the OpenAPI file which kinds the filter takes (test_schema_file keeps it current)."""
    schema = yaml.safe_load(OPENAPI.read_text())
    (kind,) = [p for p in schema["paths"]["/api/v1/jobs"]["get"]["parameters"] if p["name"] == "kind"]
    assert set(kind["schema"]["enum"]) == {name for name, _label in kinds.choices()}


def _upload(client, content: bytes, name="contracts.csv", key=None, **fields):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/contract-imports", {"file": SimpleUploadedFile(name, content), **fields}, **headers)


def test_an_uploaded_import_starts_its_job(api_as, worked_off):
    client = api_as("sales")
    with worked_off():
        response = _upload(client, EXAMPLE.read_bytes(), dry_run="true")
    assert response.status_code == 202, response.json()
    job = Job.objects.get()
    assert response["Location"] == f"/api/v1/jobs/{job.pk}"
    assert (response.json()["id"], response.json()["kind"]) == (job.pk, "contracts.import")
    assert job.arguments == {"partial": False, "dry_run": True} and job.started_by == client.user
    followed = client.get(response["Location"]).json()
    assert followed["state"] == JobState.DONE and "0 refused" in followed["result"]
    assert not Contract.objects.exists()
    with worked_off():
        assert _upload(client, EXAMPLE.read_bytes(), dry_run="false").status_code == 202
    assert Contract.objects.exists() and Job.objects.latest("pk").upload.size == len(EXAMPLE.read_bytes())


def test_a_file_that_cannot_be_read_starts_no_job(api_as):
    response = _upload(api_as("sales"), b"record\n", name="contracts.txt")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/file" and ".csv or .json" in response.json()["detail"]
    assert not Job.objects.exists()


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024)
def test_the_upload_limit_of_the_admins_form(api_as):
    response = _upload(api_as("sales"), b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "#/file", "detail": "The file is larger than 1 MB.", "code": "too_large"}
    ]
    assert not Job.objects.exists()


def test_who_may_import(api_as):
    response = _upload(api_as("sales", Access.READ), EXAMPLE.read_bytes())
    assert response.status_code == 403 and response.json()["detail"] == "This token is read-only."
    for role in ("logistics", "billing", "approver", "auditor"):
        response = _upload(api_as(role), EXAMPLE.read_bytes())
        assert response.status_code == 403 and response.json()["detail"] == "Your role may not do this."
    assert not Job.objects.exists()


def test_a_retried_upload_with_its_idempotency_key_starts_one_job(api_as):
    """Past the size Django reads into memory, and with the boundary another send would choose, the retry replays."""
    client = api_as("sales")
    content = EXAMPLE.read_bytes() + b"\n" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    first = _upload(client, content, dry_run="true", key="upload-1")
    again = client.post(
        "/api/v1/contract-imports",
        encode_multipart("another-boundary", {"file": SimpleUploadedFile("contracts.csv", content), "dry_run": "true"}),
        content_type="multipart/form-data; boundary=another-boundary",
        HTTP_IDEMPOTENCY_KEY="upload-1",
    )
    assert first.status_code == again.status_code == 202, first.content
    assert again["Idempotent-Replayed"] == "true" and again["Location"] == first["Location"]
    assert Job.objects.count() == 1
    other = _upload(client, content, key="upload-1")  # the same key, not a dry run
    assert other.status_code == 422 and Job.objects.count() == 1
