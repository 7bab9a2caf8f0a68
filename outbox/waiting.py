"""What "send the outbox now" sends (the job is receivables', which starts it from billing's lists):
every e-mail waiting, without waiting for its time to try again."""

from django.db.models import Q
from django.utils import timezone

from . import sending
from .choices import MessageState
from .models import Message


def waiting(topics=None):
    """The e-mails "send now" sends: queued, failed with tries left, or "sending" for a process that died;
    of ``topics`` only, when given."""
    stale = timezone.now() - sending.STALE
    rows = Message.objects.filter(
        Q(state=MessageState.QUEUED)
        | Q(state=MessageState.FAILED, retry_at__isnull=False)
        | Q(state=MessageState.SENDING, tried_at__lte=stale)
    )
    return (rows if topics is None else rows.filter(topic__in=topics)).order_by("pk")
