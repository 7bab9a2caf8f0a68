"""Sending the outbox now, as a job started from the e-mails' list: every e-mail waiting (queued, failed and
still to be tried again, or lost with its process), without waiting for its time to try again."""

from functools import partial

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import services as jobs
from jobs.models import Job, JobKind

from . import sending
from .choices import MessageState
from .models import Message


def waiting():
    """The e-mails "send now" sends: queued, failed with tries left, or "sending" for a process that died."""
    stale = timezone.now() - sending.STALE
    return Message.objects.filter(
        Q(state=MessageState.QUEUED)
        | Q(state=MessageState.FAILED, retry_at__isnull=False)
        | Q(state=MessageState.SENDING, tried_at__lte=stale)
    ).order_by("pk")


def send_later(*, by) -> Job:
    return jobs.start(JobKind.SEND_OUTBOX, by=by, description=_("Sending the outbox"), arguments={})


def run(job: Job) -> jobs.Outcome:
    """The job's handler: each waiting e-mail sent (a sent one is never sent again), progress as they go."""
    rows = list(waiting().values_list("pk", flat=True))
    progress = partial(jobs.advance, job.pk)
    sent, failed = 0, []
    for done, pk in enumerate(rows):
        progress(done, len(rows))
        row = sending.send(Message.objects.get(pk=pk))
        if row.state == MessageState.SENT:
            sent += 1
        elif row.state == MessageState.FAILED:
            failed.append(f"{row.to}: {row.error}")
    text = _("%(sent)d e-mails sent, %(failed)d not sent.") % {"sent": sent, "failed": len(failed)}
    return jobs.Outcome("\n".join([text, *failed]), reverse("admin:outbox_message_changelist"))
