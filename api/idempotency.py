"""``Idempotency-Key`` on POST: the first answer is kept for a day and replayed to a retry.

The key's row is inserted in the same transaction as the request's effect, before it. A second request
with the same key waits on the row's unique index until the first commits (PostgreSQL; SQLite's writers
queue anyway), then replays its answer: two identical requests at once produce one effect. The same key
with another body is refused (422); a request that failed stored nothing, so its retry runs again.
"""

import functools
import hashlib
from datetime import timedelta

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
    """The request's digest: a JSON body's bytes; a multipart upload's fields and files, parsed (its boundary
    differs from one send to the next, and Django never holds an upload's body in memory whole)."""
    digest = hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode()]))
    if not request.content_type.startswith("multipart/"):
        digest.update(request._request.body)  # read before DRF parses it; bounded by MAX_REQUEST_BYTES
        return digest.hexdigest()
    for name, values in sorted(request.data.lists()):
        for value in values:
            digest.update(f"\n{name}=".encode())
            if hasattr(value, "chunks"):
                digest.update(f"{value.name}:".encode())
                for chunk in value.chunks():  # each read from the start
                    digest.update(chunk)
            else:
                digest.update(str(value).encode())
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
