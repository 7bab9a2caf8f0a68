"""The daily jobs cannot fail as a whole: e-mails go after the commit, a reminder that cannot be sent is
recorded as failed and tried again the next day, the rest of the work is done and the command ends
non-zero with a one-line summary; a future day is refused; a missed day is caught up."""

import smtplib
from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from backoffice.models import DailyRun
from contracts.choices import ServiceCode, Status
from contracts.services import lifecycle
from equipment.choices import IncidentKind, UnitState
from equipment.models import Incident, ReturnReminder
from equipment.services import units
from outbox.choices import MessageState
from tests import factories as f

from .conftest import installed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = date


DEADLINE = D(2025, 6, 30)


def _awaited(make_unit, router_contract, deadline=DEADLINE):
    customer = router_contract.customer
    customer.failure_contact_email = "noc@example.jp"
    customer.save()
    unit = installed(make_unit(), contract=router_contract)
    units.request_return(unit, on=D(2025, 5, 31), deadline=deadline)
    return unit


def _run(command: str, day: date) -> str:
    out = StringIO()
    call_command(command, today=day.isoformat(), stdout=out)
    return out.getvalue()


def _refused_mail(*args, **kwargs):
    raise ConnectionRefusedError(111, "Connection refused")


def test_a_reminder_the_mail_server_refuses_is_recorded_failed_the_rest_is_done_and_the_job_fails(
    make_unit, router_contract
):
    late = _awaited(make_unit, router_contract, deadline=D(2025, 6, 20))
    _awaited(make_unit, router_contract)
    out = StringIO()
    summary = r"^1 failure: reminder to noc@example.jp .*ConnectionRefusedError"
    with (
        mock.patch("outbox.sending.EmailMessage.send", _refused_mail),
        pytest.raises(CommandError, match=summary),
    ):
        call_command("flag_overdue_returns", today="2025-06-25", stdout=out)
    late.refresh_from_db()
    assert late.status == UnitState.NOT_RETURNED  # the other work was done
    reminder = ReturnReminder.objects.get()
    assert (reminder.message.state, reminder.queued_on) == (MessageState.FAILED, D(2025, 6, 25))
    assert "Connection refused" in reminder.message.error


def test_a_failed_reminder_is_sent_the_next_day(make_unit, router_contract, mailoutbox):
    unit = _awaited(make_unit, router_contract)
    with mock.patch("outbox.sending.EmailMessage.send", _refused_mail), pytest.raises(CommandError):
        _run("flag_overdue_returns", D(2025, 6, 25))
    assert "1 reminders sent, 0 failed." in _run("flag_overdue_returns", D(2025, 6, 26))
    reminder = ReturnReminder.objects.get(unit=unit)
    assert (reminder.message.state, reminder.queued_on, reminder.message.attempts) == (
        MessageState.SENT,
        D(2025, 6, 25),
        2,
    )
    assert len(mailoutbox) == 1
    _run("flag_overdue_returns", D(2025, 6, 27))
    assert len(mailoutbox) == 1  # sent once


def test_the_reminder_row_is_committed_before_the_mail_goes(make_unit, router_contract):
    _awaited(make_unit, router_contract)
    seen = []

    def spy(*args, **kwargs):
        from django.db import connection

        seen.append((ReturnReminder.objects.get().message.state, connection.in_atomic_block))

    with mock.patch("outbox.sending.EmailMessage.send", spy):
        _run("flag_overdue_returns", D(2025, 6, 25))
    # Only the test's own transaction is open: the claim's atomic block had ended (savepoint released).
    from django.db import connection

    assert seen == [(MessageState.SENDING, connection.in_atomic_block)]


def test_a_future_day_is_refused_before_anything_is_done(make_unit, router_contract, mailoutbox):
    _awaited(make_unit, router_contract, deadline=timezone.localdate() - timedelta(days=10))
    future = timezone.localdate() + timedelta(days=1)
    for command in ("flag_overdue_returns", "close_due_cancellations"):
        with pytest.raises(CommandError, match="in the future"):
            _run(command, future)
    assert mailoutbox == [] and not ReturnReminder.objects.exists() and not Incident.objects.exists()
    assert not DailyRun.objects.exists()


def test_after_days_without_a_run_each_missed_day_is_caught_up_and_said(make_unit, router_contract):
    unit = _awaited(make_unit, router_contract)
    _run("flag_overdue_returns", D(2025, 6, 28))
    out = _run("flag_overdue_returns", D(2025, 7, 3))
    assert "Catching up 5 days since the last run: June 29, 2025 to July 3, 2025." in out
    assert "July 1, 2025: 1 units flagged not returned." in out
    incident = Incident.objects.get(unit=unit)
    assert (incident.kind, incident.reported_on) == (IncidentKind.NOT_RETURNED, D(2025, 7, 1))  # its own day
    assert list(DailyRun.objects.filter(job="flag_overdue_returns").values_list("day", flat=True)) == [
        D(2025, 7, d) for d in (3, 2, 1)
    ] + [D(2025, 6, 30), D(2025, 6, 29), D(2025, 6, 28)]


def test_close_due_catches_up_too(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)  # effective end 2025-03-31
    _run("close_due_cancellations", D(2025, 3, 30))
    out = _run("close_due_cancellations", D(2025, 4, 2))
    assert "Catching up 3 days" in out and "April 1, 2025: 1 cancellation(s) took effect." in out
    c.refresh_from_db()
    assert (c.status, c.terminated_on) == (Status.TERMINATED, D(2025, 3, 31))


def test_smtp_errors_are_failures_too(make_unit, router_contract):
    _awaited(make_unit, router_contract)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"noc@example.jp": (550, b"no such user")})

    with mock.patch("outbox.sending.EmailMessage.send", refuse), pytest.raises(CommandError):
        _run("flag_overdue_returns", D(2025, 6, 25))
    assert ReturnReminder.objects.get().message.state == MessageState.FAILED
