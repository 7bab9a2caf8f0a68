"""A local S3 server for the storage tests: moto's server mode, started once per test process on a free port
(nothing else to run, on SQLite as on PostgreSQL), and a new bucket for each test."""

import socket
import subprocess
import sys
import time
import uuid

import boto3
import environ
import pytest

from config.storage import storage_from_env

REGION = "ap-northeast-1"
KEYS = {"aws_access_key_id": "storage-tests", "aws_secret_access_key": "storage-tests-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a moto server of this test process's own, stopped at the end of the session."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint):
    """A new, empty bucket: ``(name, boto3 client)``."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    name = f"backoffice-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name, client


@pytest.fixture
def object_store(bucket, s3_endpoint, settings, monkeypatch, tmp_path):
    """``STORAGES`` as the settings build them from the ``S3_*`` variables, pointing at the bucket; an empty
    ``MEDIA_ROOT`` of this test's own, so that a file on disk would show."""
    for name, value in {
        "S3_BUCKET": bucket[0],
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
    }.items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = str(tmp_path / "node-a")
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_env(environ.Env())}
    return bucket


def another_node(settings, tmp_path):
    """What another machine has: the same settings, a storage made anew, and nothing on its own disk."""
    settings.MEDIA_ROOT = str(tmp_path / "node-b")
    settings.STORAGES = {**settings.STORAGES}  # a changed setting: Django makes its storages again


def keys(bucket) -> list[str]:
    name, client = bucket
    return sorted(row["Key"] for row in client.list_objects_v2(Bucket=name).get("Contents", []))
