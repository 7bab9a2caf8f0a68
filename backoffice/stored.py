"""Files the app keeps for staff to download (prepared reports, a job's file): an S3-compatible bucket shared
by every web and worker machine, or the local disk (``config/storage.py`` picks one), read back in chunks.

Objects are private and no link to the store is ever handed out: a download goes through the app's own view,
which checks who asks, and is streamed from the store as it is sent, in constant memory whatever its size.
"""

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from django.core.files.storage import Storage
from django.http import FileResponse
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK_BYTES = 64 * 1024
PART_BYTES = 8 * 1024 * 1024


def _uploads() -> TransferConfig:
    """A file goes up in parts of 8 MB, two at a time, and at most two read ahead (s3transfer's own setting,
    ten by default, which boto3 does not take): about 28 MB held whatever the file's size (tests/storage)."""
    config = TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES, max_concurrency=2)
    config.max_in_memory_upload_chunks = 2
    return config


class ObjectStorage(S3Storage):
    """A private bucket. A saved file takes a free name, as on disk (two reports of one month do not share an
    object); ``url()`` signs nothing; a file opened otherwise than by ``reader`` spills to disk past 1 MB."""

    default_acl = "private"
    querystring_auth = False
    file_overwrite = False
    max_memory_size = 1024 * 1024
    transfer_config = _uploads()

    def reader(self, name: str):
        """The object's body as it arrives (``open`` would download it whole before the first byte)."""
        try:
            return self.bucket.Object(self._normalize_name(clean_name(name))).get()["Body"]
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(name) from error
            raise


class StoredFileResponse(FileResponse):
    block_size = CHUNK_BYTES


def attachment(storage: Storage, name: str, *, filename: str, content_type: str | None = None) -> FileResponse:
    """The stored file ``name`` as a download called ``filename``, read from ``storage`` as it is sent."""
    reader = storage.reader(name) if isinstance(storage, ObjectStorage) else storage.open(name, "rb")
    response = StoredFileResponse(reader, as_attachment=True, filename=filename, content_type=content_type)
    if not response.has_header("Content-Length"):  # a body from the store cannot seek: ask its size
        response["Content-Length"] = storage.size(name)
    return response
