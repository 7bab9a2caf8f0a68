"""Files the app writes kept in an S3-compatible bucket (moto's server here): a prepared report and a job's file
written on one machine download from another that has nothing on its disk, the objects are private, no signed
link exists, and a large file streams back in constant memory. Without ``S3_BUCKET``, the local disk as before."""

import io
import os
import tempfile
import tracemalloc
from pathlib import Path

import environ
import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse

from backoffice.stored import ObjectStorage, attachment
from config.storage import storage_from_env
from jobs import files
from jobs.models import Job, JobState
from receivables.background import JOURNAL_EXPORT
from reports.models import PreparedReport

from .conftest import another_node, keys

pytestmark = pytest.mark.django_db

PREPARE = reverse("reports:prepare")


def prepare_report(client, worked_off, fmt="xlsx") -> PreparedReport:
    with worked_off():
        assert client.post(PREPARE, {"month": "2025-03", "format": fmt}).status_code == 302
    return PreparedReport.objects.get(format=fmt)


def on_disk(folder: str) -> list[Path]:
    return [path for path in Path(folder).rglob("*") if path.is_file()] if os.path.isdir(folder) else []


def test_a_report_prepared_on_one_machine_downloads_from_another(
    object_store, login_as_role, worked_off, settings, tmp_path
):
    client = login_as_role("billing")
    report = prepare_report(client, worked_off)
    assert keys(object_store) == [report.file.name] and report.file.name.startswith("reports/")
    assert on_disk(settings.MEDIA_ROOT) == []
    name, s3 = object_store
    stored = s3.get_object(Bucket=name, Key=report.file.name)["Body"].read()
    assert len(stored) == report.size
    grants = s3.get_object_acl(Bucket=name, Key=report.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's only: private
    assert "Signature" not in default_storage.url(report.file.name)  # no link that opens it without the app
    first = default_storage._wrapped

    another_node(settings, tmp_path)
    response = client.get(reverse("reports:prepared", args=[report.pk]))
    assert default_storage._wrapped is not first and isinstance(default_storage._wrapped, ObjectStorage)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body == stored and int(response["Content-Length"]) == len(stored)
    assert 'filename="monthly_report_2025-03.xlsx"' in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames[0] == "Summary March 2025"
    assert on_disk(settings.MEDIA_ROOT) == []
    assert login_as_role("sales").get(reverse("reports:prepared", args=[report.pk])).status_code == 403


def test_a_report_prepared_again_takes_an_object_of_its_own(object_store, login_as_role, worked_off, staff):
    """Two reports of one month keep two objects: the second does not overwrite the first one's file."""
    client = login_as_role("billing")
    first = prepare_report(client, worked_off, "csv")
    first.job.state = JobState.FAILED  # as if it had failed: asked again, a new report is written
    first.job.save()
    with worked_off():
        client.post(PREPARE, {"month": "2025-03", "format": "csv"})
    second = PreparedReport.objects.exclude(pk=first.pk).get()
    assert second.file.name != first.file.name and keys(object_store) == sorted([first.file.name, second.file.name])


def test_a_jobs_file_kept_on_one_machine_downloads_from_another(object_store, client, staff, settings, tmp_path):
    job = Job.objects.create(
        kind=JOURNAL_EXPORT.name, description="journal", arguments={}, state=JobState.DONE, started_by=staff
    )
    files.keep(job, "journal_2025-02.csv", b"first")
    url = files.keep(job, "journal_2025-02.csv", b"again")  # a retry replaces the file
    assert [key.rsplit("/", 1)[1] for key in keys(object_store)] == ["journal_2025-02.csv"]

    another_node(settings, tmp_path)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"again"
    assert 'filename="journal_2025-02.csv"' in response["Content-Disposition"]
    other = Job.objects.create(kind=JOURNAL_EXPORT.name, description="none", arguments={}, started_by=staff)
    assert files.kept(other) is None and client.get(reverse("admin:jobs_job_file", args=[other.pk])).status_code == 404
    assert on_disk(settings.MEDIA_ROOT) == []


def test_a_large_file_goes_up_and_comes_back_in_constant_memory(object_store):
    """64 MB up in parts of 8 MB, a few held at once; back 64 KB at a time, as the response is sent."""
    size = 64 * 1024 * 1024
    default_storage.exists("warm-up")  # the client's one-time load of its service description is not the file's
    with tempfile.TemporaryFile() as source:
        for _ in range(size // (1024 * 1024)):
            source.write(os.urandom(1024 * 1024))
        source.seek(0)
        tracemalloc.start()
        try:
            name = default_storage.save("reports/large.bin", File(source))
            _, sent_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            response = attachment(default_storage, name, filename="large.bin")
            received = sum(len(chunk) for chunk in response.streaming_content)
            _, read_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        response.close()
    assert received == size == int(response["Content-Length"])
    assert sent_peak < 40 * 1024 * 1024, sent_peak
    assert read_peak < 2 * 1024 * 1024, read_peak


def test_the_settings_read_the_bucket_from_the_environment(monkeypatch):
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_ACL"):
        monkeypatch.delenv(name, raising=False)
    assert storage_from_env(environ.Env()) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("S3_BUCKET", "reports")
    monkeypatch.setenv("S3_REGION", "ap-northeast-1")
    assert storage_from_env(environ.Env()) == {
        "BACKEND": "backoffice.stored.ObjectStorage",
        "OPTIONS": {
            "bucket_name": "reports",
            "endpoint_url": None,
            "region_name": "ap-northeast-1",
            "default_acl": "private",
        },
    }
    monkeypatch.setenv("S3_ACL", "")  # a bucket whose ACLs are disabled takes none
    assert storage_from_env(environ.Env())["OPTIONS"]["default_acl"] is None
    static = django_settings.STORAGES["staticfiles"]["BACKEND"]
    assert static == "django.contrib.staticfiles.storage.StaticFilesStorage"  # static files stay where they were


def test_without_a_bucket_the_files_are_on_the_local_disk(login_as_role, worked_off, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_env(environ.Env())}
    client = login_as_role("billing")
    report = prepare_report(client, worked_off)
    assert on_disk(settings.MEDIA_ROOT) == [Path(settings.MEDIA_ROOT) / report.file.name]
    response = client.get(reverse("reports:prepared", args=[report.pk]))
    assert b"".join(response.streaming_content) == (Path(settings.MEDIA_ROOT) / report.file.name).read_bytes()
    job = Job.objects.create(kind=JOURNAL_EXPORT.name, description="j", arguments={}, state=JobState.DONE)
    files.keep(job, "journal.csv", b"rows")
    assert files.kept(job)[0] == "journal.csv" and len(on_disk(settings.MEDIA_ROOT)) == 2
