"""The outbox: a message is written with the change it is about, goes after the commit, once per key, and
one that could not go is tried again later until it does (or staff send it again)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from backoffice.registry import registry
from outbox import attachments, sending
from outbox.choices import MessageState
from outbox.models import Message

pytestmark = pytest.mark.django_db


def _post(key="test:1", **kwargs):
    fields = {"topic": "test", "to": "noc@example.jp", "subject": "件名", "body": "本文", **kwargs}
    return sending.post(key=key, **fields)


def _later(message, **shift):
    """``message`` as if its times had passed by ``shift``: the clock is not moved, the row is."""
    fields = ("created_at", "tried_at", "retry_at")
    values = {f: getattr(message, f) - timedelta(**shift) for f in fields if getattr(message, f)}
    Message.objects.filter(pk=message.pk).update(**values)


def _refuse(*args, **kwargs):
    raise ConnectionRefusedError(111, "Connection refused")


def test_a_worker_sends_a_message_once_its_transaction_commits(mailoutbox, worked_off):
    with worked_off():
        message = _post()
        assert mailoutbox == []  # not before the commit
    message.refresh_from_db()
    assert (message.state, message.attempts, len(mailoutbox)) == (MessageState.SENT, 1, 1)
    assert (mailoutbox[0].to, mailoutbox[0].subject, mailoutbox[0].body) == (["noc@example.jp"], "件名", "本文")
    assert message.history.first().history_change_reason == gettext("Sent")


def test_a_message_without_an_address_is_refused_before_it_is_written():
    with pytest.raises(ValueError, match="needs an address"):
        _post(to="")
    assert not Message.objects.exists()


def test_a_rolled_back_change_sends_nothing(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        _post()
        raise RuntimeError
    assert (Message.objects.count(), mailoutbox) == (0, [])


def test_posting_the_same_key_again_adds_nothing_and_sends_nothing_more(mailoutbox, worked_off):
    with worked_off():
        first = _post()
    with worked_off():
        again = _post(body="別の本文")
    assert (again.pk, Message.objects.count(), len(mailoutbox)) == (first.pk, 1, 1)
    sending.send(first)
    assert len(mailoutbox) == 1  # sent once, whoever asks again


def test_a_failure_is_recorded_and_tried_again_later_each_time_a_little_later(mailoutbox):
    message = _post(dispatch=False)
    with mock.patch("outbox.sending.EmailMessage.send", _refuse):
        row = sending.send(message)
    assert (row.state, row.attempts) == (MessageState.FAILED, 1)
    assert "Connection refused" in row.error
    assert timedelta(minutes=4) < row.retry_at - timezone.now() <= timedelta(minutes=5)
    assert list(sending.due()) == []  # not yet
    _later(row, minutes=6)
    assert [m.pk for m in sending.due()] == [message.pk]
    assert [sending.retry_delay(n) for n in range(1, 8)] == [
        *(timedelta(minutes=m) for m in (5, 20, 80, 320, 1280)),
        timedelta(days=1),
        timedelta(days=1),
    ]
    sent = sending.send_due()
    assert [(m.state, m.attempts, m.error) for m in sent] == [(MessageState.SENT, 2, "")]
    assert len(mailoutbox) == 1


def test_after_the_last_attempt_a_message_waits_for_staff(settings, mailoutbox):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = _post(dispatch=False)
    with mock.patch("outbox.sending.EmailMessage.send", _refuse):
        sending.send(message)
        row = sending.send(message)
    assert (row.state, row.attempts, row.retry_at) == (MessageState.FAILED, 2, None)
    _later(row, days=30)
    assert list(sending.due()) == []
    with transaction.atomic():
        sending.send_again(row, by=None)
    row.refresh_from_db()
    # The test's transaction never commits: the message waits queued for the sweep.
    assert row.state == MessageState.QUEUED
    _later(row, minutes=2)
    assert [m.state for m in sending.send_due()] == [MessageState.SENT]
    with translation.override("ja"), pytest.raises(ValidationError, match="送信済み"), transaction.atomic():
        sending.send_again(row, by=None)


def test_a_message_lost_while_sending_is_sent_again_once_stale(mailoutbox):
    message = _post(dispatch=False)
    claimed = sending._claim(message)  # the process died after claiming it
    assert claimed.state == MessageState.SENDING
    assert sending.send(message).state == MessageState.SENDING  # another process leaves it alone meanwhile
    assert list(sending.due()) == []
    _later(claimed, minutes=16)
    assert [m.state for m in sending.send_due()] == [MessageState.SENT]


def test_the_sweep_command_reports_and_fails_when_something_could_not_go(mailoutbox):
    _post(key="test:ok", dispatch=False)
    _post(key="test:no", dispatch=False)
    Message.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    def refuse_one(self, *args, **kwargs):
        if self.subject and Message.objects.get(state=MessageState.SENDING).key == "test:no":
            raise ConnectionRefusedError(111, "Connection refused")
        return 1

    with mock.patch("outbox.sending.EmailMessage.send", refuse_one), pytest.raises(CommandError) as failed:
        call_command("send_outbox", language="ja")
    assert "メール送信 1件、未送信 1件。" in str(failed.value) and "noc@example.jp" in str(failed.value)


def test_an_attachment_is_read_when_the_message_goes(mailoutbox):
    read = []

    def reader(row_id):
        read.append(row_id)
        return attachments.Attachment(f"請求書-{row_id}.pdf", b"%PDF-1.7 ...", "application/pdf")

    with registry.kept():
        registry.register("outbox_attachments", reader, name="test.pdf")
        message = _post(attach=("test.pdf", 42), dispatch=False)
        assert read == []  # named, not copied
        assert sending.send(message).state == MessageState.SENT
    assert mailoutbox[0].attachments == [("請求書-42.pdf", b"%PDF-1.7 ...", "application/pdf")]
