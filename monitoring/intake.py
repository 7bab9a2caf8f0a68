"""Taking in what a source posts: the body kept as received, each arrival a receipt, the work left to a task.

The request is answered as soon as both rows are committed, so Alertmanager, which sends a request again
after a 5xx or a timeout, rarely has cause to; when it does (or its HA twin sends the same group), the body
is found by its digest and only a receipt is added. A body that cannot be read is kept too, with the reason,
and answered 400: the sender's log says why, and nothing is worked from it.
"""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .formats import Malformed, read
from .models import Payload, Receipt, Source
from .processing import process_payload

#: The request headers kept with a receipt (what says who sent it and how).
KEPT_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For", "X-Request-ID")


@dataclass(frozen=True)
class Taken:
    payload: Payload
    receipt: Receipt
    new: bool


def take(source: Source, body: bytes, *, headers=None, address: str | None = None) -> Taken:
    """Keep ``body`` from ``source`` (once per content) and this arrival of it; a new, readable body is worked
    by a task once this commits. The payload's ``error`` says why one was refused."""
    now = timezone.now()
    sha = hashlib.sha256(body).hexdigest()
    try:
        error, count, truncated = "", 0, 0
        batch = read(source.kind, body)
        count, truncated = len(batch.events), batch.truncated
    except Malformed as exc:
        error = str(exc)
    text = body.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    kept = {name: headers[name] for name in KEPT_HEADERS if headers and name in headers}
    with transaction.atomic():
        try:
            with transaction.atomic():
                payload = Payload.objects.create(
                    source=source,
                    sha256=sha,
                    body=text,
                    size=len(body),
                    received_at=now,
                    alert_count=count,
                    truncated_alerts=truncated,
                    error=error,
                )
            new = True
        except IntegrityError:  # the same body again: a resend, an HA twin, a concurrent post
            payload, new = Payload.objects.get(source=source, sha256=sha), False
        receipt = Receipt.objects.create(payload=payload, received_at=now, remote_address=address, headers=kept)
        if new and not error:
            transaction.on_commit(lambda: process_payload.enqueue(payload.pk))
    return Taken(payload, receipt, new)


def answer(taken: Taken) -> dict:
    """What the sender is told: what was kept, and whether it was seen before."""
    payload = taken.payload
    if payload.error:
        return {"title": _("The payload cannot be read."), "detail": payload.error, "payload": payload.pk}
    return {
        "payload": payload.pk,
        "receipt": taken.receipt.pk,
        "alerts": payload.alert_count,
        "seen_before": not taken.new,
    }
