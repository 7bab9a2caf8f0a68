"""Where the files the app writes are kept (``STORAGES["default"]``): an S3-compatible bucket when ``S3_BUCKET``
is set, so that a report prepared by a worker on one machine downloads from a web process on another; else
``MEDIA_ROOT`` on the local disk (one machine, or a folder every machine mounts). Static files are not moved."""


def storage_from_env(env) -> dict:
    """The default storage from the environment (``S3_*``, README's Production table)."""
    bucket = env("S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "region_name": env("S3_REGION", default="") or None,
        # Each object is written with the canned ACL "private"; empty sends none, as a bucket whose ACLs are
        # disabled (AWS's default for new buckets) requires: its objects are private all the same.
        "default_acl": env("S3_ACL", default="private") or None,
    }
    # Without keys, boto3 finds its own (AWS_ACCESS_KEY_ID…, a profile, the machine's role).
    if key := env("S3_ACCESS_KEY_ID", default=""):
        options.update(access_key=key, secret_key=env("S3_SECRET_ACCESS_KEY", default=""))
    return {"BACKEND": "backoffice.stored.ObjectStorage", "OPTIONS": options}
