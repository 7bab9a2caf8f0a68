"""``Idempotency-Key`` on POST: the first answer is kept for a day and replayed to a retry.

The key's row is inserted in the same transaction as the request's effect, before it. A second request
with the same key waits on the row's unique index until the first commits (PostgreSQL; SQLite's writers
queue anyway), then replays its answer: two identical requests at once produce one effect. The same key
with another body is refused (422); a request that failed stored nothing, so its retry runs again.
"""

import functools
import hashlib
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .models import IdempotentRequest
from .problems import Unprocessable

KEPT = timedelta(hours=24)
HEADER = "Idempotency-Key"
#: The answer's headers a replay repeats.
REPLAYED_HEADERS = ("Location", "ETag")


def body_digest(request) -> str:
    """What makes two requests the same: method, path and body; an upload by its fields and files' bytes, read in
    chunks (a multipart body may be larger than Django keeps in memory)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type.startswith("multipart/"):
        for name in sorted(request.data):
            for value in request.data.getlist(name):
                digest.update(f"\n{name}=".encode())
                if isinstance(value, UploadedFile):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
    else:
        digest.update(request._request.body)  # JSON: bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
    return digest.hexdigest()


def _claim(request, key: str, digest: str) -> IdempotentRequest | None:
    """Insert the key's row, or return the row a request before this one kept."""
    IdempotentRequest.objects.filter(user=request.user, key=key, created_at__lt=timezone.now() - KEPT).delete()
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(
                user=request.user, key=key, method=request.method, path=request.path, body_digest=digest
            )
    except IntegrityError:
        return IdempotentRequest.objects.get(user=request.user, key=key)
    return None


def _replay(kept: IdempotentRequest, digest: str) -> Response:
    if kept.body_digest != digest:
        raise Unprocessable(_("This Idempotency-Key was used for another request; send a new key."))
    response = Response(kept.data, status=kept.status, headers=kept.headers)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler):
    """Wrap a POST handler of a view: its effect and its answer commit together, once per key."""

    @functools.wraps(handler)
    def run(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            with transaction.atomic():
                return handler(view, request, *args, **kwargs)
        if len(key) > 255:
            raise Unprocessable(_("An Idempotency-Key is at most 255 characters."))
        digest = body_digest(request)
        with transaction.atomic():
            kept = _claim(request, key, digest)
            if kept is not None:
                return _replay(kept, digest)
            response = handler(view, request, *args, **kwargs)
            headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
            IdempotentRequest.objects.filter(user=request.user, key=key).update(
                status=response.status_code, data=response.data, headers=headers
            )
            return response

    return run
