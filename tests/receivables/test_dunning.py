"""Unpaid invoices: dunning notices at the configured steps, recorded and never sent twice, e-mailed through
the outbox, failures retried (by the outbox and the next day), a notice without an address queued once there
is one; the daily command; the aging of receivables."""

from datetime import date as D
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from outbox import sending
from outbox.choices import MessageState
from outbox.models import Message
from receivables import selectors
from receivables.models import DunningNotice
from receivables.services import delivery, dunning
from receivables.services.allocations import match
from receivables.services.payments import record_payment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def overdue(issue, yamada, sato):
    """Two invoices of February 2025 (due 2025-03-31): yamada's with a billing e-mail, sato's without."""
    yamada.billing_contact_email = "keiri@yamada.example"
    yamada.save()
    return issue(2025, 2, (yamada, 10_000), (sato, 5_000))


@override_settings(RECEIVABLES_DUNNING_DAYS=(7, 30))
def test_notices_at_each_step_once_failures_retried(overdue, yamada, sato):
    assert dunning.send_due(D(2025, 4, 6)) == ([], [])  # 6 days past due: not yet
    sent, failed = dunning.send_due(D(2025, 4, 7))
    assert [(n.invoice.customer, n.step, n.owed) for n in sent] == [(yamada, 7, 11_000)]
    assert [(n.invoice.customer, n.error) for n in failed] == [(sato, "The customer has no billing contact e-mail.")]
    assert mail.outbox[0].to == ["keiri@yamada.example"] and "No.00000001" in mail.outbox[0].subject
    assert [(m.topic, m.key, m.state) for m in Message.objects.all()] == [
        ("receivables.dunning", f"receivables.dunning:{overdue[yamada].pk}:7", MessageState.SENT)
    ]  # sato's has no address to go to: none yet, and staff see it not sent
    assert [n.invoice.customer for n in DunningNotice.objects.unsent()] == [sato]
    sent, failed = dunning.send_due(D(2025, 4, 8))  # the next day: sato's is tried again, yamada's not resent
    assert sent == [] and [n.invoice.customer for n in failed] == [sato]
    assert len(mail.outbox) == 1
    sato.billing_contact_email = "sato@example.jp"
    sato.save()
    sent, _failed = dunning.send_due(D(2025, 4, 9))
    assert [(n.invoice.customer, n.message.to, n.queued_on) for n in sent] == [(sato, "sato@example.jp", D(2025, 4, 9))]
    notice = DunningNotice.objects.get(invoice__customer=sato)
    assert notice.history.count() == 2  # recorded, then queued
    assert notice.message.history.count() == 3  # queued, sending, sent
    sent, _failed = dunning.send_due(D(2025, 4, 30))  # 30 days: the second step
    assert sorted(n.step for n in sent) == [30, 30]


@override_settings(RECEIVABLES_DUNNING_DAYS=(7, 30))
def test_a_paid_invoice_is_not_dunned_and_a_late_start_sends_the_highest_step_only(overdue, yamada):
    match(record_payment(received_on=D(2025, 4, 1), amount=11_000, payer_name="ﾔﾏﾀﾞ"), [overdue[yamada]], reason="x")
    sent, failed = dunning.send_due(D(2025, 5, 15))
    assert sent == [] and [(n.step, n.owed) for n in failed] == [(30, 5_500)]


def _refuse(*args, **kwargs):
    raise ConnectionRefusedError("mail server down")


def _later(message, **shift):
    """``message`` as if its times had passed by ``shift``: the clock is not moved, the row is."""
    fields = ("created_at", "tried_at", "retry_at")
    Message.objects.filter(pk=message.pk).update(
        **{f: getattr(message, f) - timedelta(**shift) for f in fields if getattr(message, f)}
    )


def test_a_mail_failure_is_recorded_and_retried_by_the_outbox_once(overdue, yamada):
    with mock.patch("outbox.sending.EmailMessage.send", _refuse):
        _sent, failed = dunning.send_due(D(2025, 4, 7))
    notice = next(n for n in failed if n.invoice.customer == yamada)
    assert (notice.state_label, notice.message.attempts) == (str(MessageState.FAILED.label), 1)
    assert "mail server down" in notice.error and mail.outbox == []
    _later(notice.message, minutes=6)  # the outbox's sweep, once the first delay passed
    assert [(m.key, m.state) for m in sending.send_due()] == [(notice.message.key, MessageState.SENT)]
    assert dunning.send_due(D(2025, 4, 8))[0] == []  # the daily run does not send it again
    assert sending.send_due() == [] and len(mail.outbox) == 1


def test_a_notice_whose_sending_was_cut_off_is_sent_again_once(overdue, yamada):
    [(invoice, step)] = [(i, s) for i, s in dunning.due(D(2025, 4, 7)) if i.customer == yamada]
    notice = dunning.claim(invoice, step, today=D(2025, 4, 7))
    sending.send(notice.message)
    Message.objects.filter(pk=notice.message.pk).update(state=MessageState.SENDING, sent_at=None)  # then killed
    mail.outbox.clear()
    notice.message.refresh_from_db()
    assert sending.send_due() == []  # maybe still going: left alone until stale
    _later(notice.message, minutes=16)
    assert [m.state for m in sending.send_due()] == [MessageState.SENT]
    assert len(mail.outbox) == 1 and sending.send_due() == []


def test_a_notice_another_run_recorded_is_skipped_and_any_other_refusal_raised(overdue, yamada):
    [(invoice, step)] = [(i, s) for i, s in dunning.due(D(2025, 4, 7)) if i.customer == yamada]
    owed = invoice.balance
    invoice.balance = -1  # owed less than nothing: refused by the notice's rules, not by another run
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        dunning.claim(invoice, step, today=D(2025, 4, 7))
    invoice.balance = owed
    assert dunning.claim(invoice, step, today=D(2025, 4, 7)) is not None
    assert dunning.claim(invoice, step, today=D(2025, 4, 7)) is None


@override_settings(RECEIVABLES_DUNNING_DAYS=(7, 30))
def test_the_daily_command_applies_credits_matches_and_dunns(overdue, yamada, sato, today, capsys):
    today(D(2025, 4, 7))
    record_payment(received_on=D(2025, 4, 1), amount=11_000, payer_name="ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")
    with pytest.raises(CommandError, match="2 failures"):  # sato has no billing e-mail: no invoice, no notice
        call_command("receivables_daily")
    out = capsys.readouterr().out
    assert "1 invoices delivered (1 failed)" in out and "1 payments matched" in out
    assert "0 dunning notices sent, 1 failed" in out
    notice = DunningNotice.objects.get()
    assert (notice.invoice.customer, notice.message) == (sato, None)
    assert notice.error == "The customer has no billing contact e-mail."


def test_aging_buckets(issue, yamada, sato):
    issue(2025, 2, (yamada, 10_000))  # due 2025-03-31, 11,000
    issue(2025, 3, (sato, 5_000))  # due 2025-04-30, 5,500
    figures = selectors.aging(D(2025, 5, 20))
    assert figures == {"not_due": 0, "1_30": 5_500, "31_60": 11_000, "61_90": 0, "over_90": 0, "total": 16_500}
    assert selectors.aging(D(2025, 4, 30))["not_due"] == 5_500
    assert selectors.aging(D(2025, 7, 1))["over_90"] == 11_000


@pytest.mark.parametrize(("role", "reads"), [("billing", True), ("auditor", True), ("logistics", False)])
def test_whoever_reads_the_notices_and_deliveries_reads_their_e_mails(client, django_user_model, role, reads):
    for topic in (dunning.TOPIC, delivery.TOPIC):
        sending.post(topic=topic, key=f"{topic}:1", to="keiri@example.jp", subject="件名", body="本文", dispatch=False)
    user = django_user_model.objects.create_user(role, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    page = client.get(reverse("admin:outbox_message_changelist"))
    shown = set(page.context["cl"].queryset.values_list("topic", flat=True)) if page.status_code == 200 else set()
    assert shown == ({dunning.TOPIC, delivery.TOPIC} if reads else set())


@override_settings(RECEIVABLES_DUNNING_DAYS=(7,))
def test_the_customer_reads_the_due_date_as_it_is_written_in_japanese(overdue, yamada, japanese):
    """お支払期日は 2025年3月31日, not 2025-03-31: the e-mails go to customers."""
    dunning.send_due(D(2025, 4, 7))
    delivery.deliver_due()
    dunned, delivered = (m.body for m in mail.outbox)
    assert "2025年3月31日" in dunned and "2025年3月31日" in delivered
    assert "2025-03-31" not in dunned + delivered
