"""Posting and sending e-mails and webhooks through the outbox.

``post`` (an e-mail) and ``post_webhooks`` write the messages in the caller's transaction; once it commits, a
task worker sends them, each by its channel (a webhook: ``outbox.webhooks``).
Sending claims the row first (committed as "sending"), sends outside any transaction, then records
whether it went. A message that failed is tried again later (``send_due``, run every few minutes by
``send_outbox``), a little later each time. A process that dies between sending and recording leaves the
row "sending": it is sent again once stale, so a message goes at least once, and is never lost.
"""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.bulk_history import insert_with_history
from backoffice.display import date_text
from backoffice.moves import lock, lock_for_move, move_locked

from . import attachments, signals, topics, webhooks
from .choices import Channel, MessageState
from .models import Message

logger = logging.getLogger(__name__)

#: A message still "sending" this long after its last try was lost with its process: it is tried again.
STALE = timedelta(minutes=15)
#: A queued message is normally sent at its commit; the sweep takes it after this, should that be lost.
GRACE = timedelta(minutes=1)


def post(
    *,
    topic: str,
    key: str,
    to: str,
    subject: str,
    body: str,
    attach: tuple[str, int] | None = None,
    dispatch=True,
    urgent=False,
) -> Message:
    """Queue an e-mail about ``key`` (once per key: posting it again returns the first one), sent once the
    caller's transaction commits; ``attach`` names a file by its kind and row (``attachments``).
    ``dispatch=False`` leaves the sending to the caller (``send``); ``urgent`` puts it before the queue's other
    work where the task backend orders by priority (a failure notice, whose minutes count)."""
    if not to:
        raise ValueError(f"An e-mail about {key} needs an address: one without would be counted sent.")
    kind, row_id = attach or ("", None)
    fields = {
        "topic": topic,
        "to": to,
        "subject": subject,
        "body": body,
        "attachment_kind": kind,
        "attachment_id": row_id,
    }
    try:
        with transaction.atomic():
            message, created = Message.objects.get_or_create(key=key, defaults=fields)
    except IntegrityError:  # a concurrent post of the same key won
        message, created = Message.objects.get(key=key), False
    if created and dispatch:
        enqueue_on_commit(message, urgent=urgent)
    return message


@dataclass(frozen=True)
class Webhook:
    """One event for one endpoint: ``data`` goes as ``{"type", "timestamp", "data"}``, to ``url``, signed with
    the secret of ``endpoint_id`` (``webhooks``); once per ``key``."""

    topic: str
    key: str
    url: str
    endpoint_id: int
    type: str
    data: dict
    timestamp: datetime


def post_webhooks(hooks: Sequence[Webhook], *, dispatch=True) -> list[Message]:
    """Queue the webhooks whose keys are new, in the caller's transaction, sent once it commits; the new rows.

    In bulk, as the events come (a month's closing issues thousands of invoices): one query reads the keys
    already queued, one inserts the rest with their history. Keys are unique, so a race between two posts of
    one event fails the later one's transaction rather than sending it twice."""
    known = set(Message.objects.filter(key__in=[hook.key for hook in hooks]).values_list("key", flat=True))
    rows = []
    for hook in hooks:
        if hook.key in known:
            continue
        known.add(hook.key)
        payload = {"type": hook.type, "timestamp": hook.timestamp, "data": hook.data}
        rows.append(
            Message(
                channel=Channel.WEBHOOK,
                topic=hook.topic,
                key=hook.key,
                to=hook.url,
                endpoint_id=hook.endpoint_id,
                subject=hook.type,
                body=json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False),
            )
        )
    insert_with_history(Message, rows, reason=_("Queued"))
    if dispatch:
        for row in rows:
            enqueue_on_commit(row)
    return rows


#: The priority of an urgent message's task: after nothing else the queue holds.
URGENT = 50


def enqueue_on_commit(message: Message, *, urgent=False) -> None:
    """Hand ``message`` to a task worker once the current transaction commits; ``urgent`` first, where the
    backend takes priorities (the database's does; RQ's queue is one list)."""
    task = send_message
    if urgent and task.get_backend().supports_priority:
        task = task.using(priority=URGENT)
    transaction.on_commit(lambda: task.enqueue(message.pk))


def retry_delay(attempts: int) -> timedelta:
    """5 minutes after the first failure, four times longer after each next one, at most a day."""
    return min(timedelta(minutes=5 * 4 ** (attempts - 1)), timedelta(days=1))


def _claim(message: Message) -> Message | None:
    """The row, marked "sending" and committed; None when it was sent, or another process is sending it: a
    claim older than ``STALE`` is taken over (``backoffice.moves.lock_for_move``, as jobs do with a running job)."""
    now = timezone.now()
    with transaction.atomic():
        row = lock_for_move(message, MessageState.SENDING, live=lambda row: row.tried_at > now - STALE)
        if row is None:
            return None
        changes = {"attempts": row.attempts + 1, "tried_at": now, "retry_at": None, "error": "", "status_code": None}
        return move_locked(row, MessageState.SENDING, reason=_("Sending"), **changes)


def send(message: Message) -> Message:
    """Send ``message`` now unless it went already or is going; the row as it stands afterwards."""
    row = _claim(message)
    if row is None:
        return Message.objects.get(pk=message.pk)
    try:
        status = _send_email(row) if row.channel == Channel.EMAIL else webhooks.deliver(row, now=timezone.now())
    except Exception as exc:  # noqa: BLE001 (refused connections, SMTP errors, HTTP errors, timeouts: recorded, tried again)
        logger.warning("Message %s (%s) not sent: %s", row.pk, row.key, exc)
        if row.attempts < settings.OUTBOX_MAX_ATTEMPTS:
            row.retry_at = timezone.now() + retry_delay(row.attempts)
        error = f"{type(exc).__name__}: {exc}"[:1000]
        status = exc.status if isinstance(exc, webhooks.Refused) else None
        return move_locked(row, MessageState.FAILED, reason=_("Not sent"), error=error, status_code=status)
    with transaction.atomic():
        row = move_locked(row, MessageState.SENT, reason=_("Sent"), sent_at=timezone.now(), status_code=status)
        signals.sent.send(sender=Message, message=row)
    return row


def _send_email(row: Message) -> None:
    email = EmailMessage(row.subject, row.body, topics.sender(row.topic), [row.to])
    if row.attachment_kind:
        file = attachments.read(row.attachment_kind, row.attachment_id)
        email.attach(file.filename, file.content, file.mimetype)
    email.send()


@task
def send_message(message_id: int) -> None:
    """The task that sends one message on a worker (``send``), declared beside it so that posting enqueues it
    without a tasks module importing this one back."""
    message = Message.objects.filter(pk=message_id).first()
    if message is not None:
        send(message)


def due():
    """The messages to send now: failed ones whose time to try again has come, queued ones whose sending at
    commit was lost, and "sending" ones whose process died."""
    now = timezone.now()
    return Message.objects.filter(
        Q(state=MessageState.FAILED, retry_at__lte=now)
        | Q(state=MessageState.QUEUED, created_at__lte=now - GRACE)
        | Q(state=MessageState.SENDING, tried_at__lte=now - STALE)
    ).order_by("pk")


def send_due() -> list[Message]:
    """Send every message due now; the rows as they stand afterwards."""
    return [send(message) for message in due().iterator()]


def send_again(message: Message, *, by) -> None:
    """Staff's "send again": a message not yet sent goes once the transaction commits, whatever its tries."""
    row = lock(message)
    if row.state == MessageState.SENT:
        raise ValidationError(_("This e-mail was sent at %(when)s.") % {"when": date_text(row.sent_at)})
    move_locked(row, MessageState.QUEUED, by=by, reason=_("Sent again by staff"), retry_at=None)
    enqueue_on_commit(row)
