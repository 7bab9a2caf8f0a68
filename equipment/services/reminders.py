"""Return reminders e-mailed to the customer before and after the deadline, each recorded and sent once.

A reminder is first claimed: its row (unique per unit, deadline and kind) is written and committed; the
e-mail goes after the commit, never inside a transaction, and the row then says sent or failed. A failed
one (the mail server refused or was unreachable) is tried again by the next day's run."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.moves import save_audited

from ..choices import ReminderKind, ReminderStatus, UnitState
from ..models import ReturnReminder, Unit

logger = logging.getLogger(__name__)


def contact_of(unit: Unit) -> str:
    """Who is reminded: the failure contact, who looks after the equipment; else the billing contact."""
    customer = unit.customer
    return customer.failure_contact_email or customer.billing_contact_email


def due(today: date):
    """``(unit, kind)`` of every reminder due on ``today`` and not yet sent (failed ones included)."""
    before = today + timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_BEFORE)
    after = today - timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_AFTER)
    related = ("contract__customer", "option__contract__customer")
    awaited = Unit.objects.filter(status=UnitState.RETURN_REQUESTED, return_deadline__range=(today, before))
    late = Unit.objects.filter(status=UnitState.NOT_RETURNED, return_deadline__lte=after)
    sent = {
        (unit_id, kind, deadline)
        for unit_id, kind, deadline in ReturnReminder.objects.filter(
            unit__status__in=(UnitState.RETURN_REQUESTED, UnitState.NOT_RETURNED), status=ReminderStatus.SENT
        ).values_list("unit", "kind", "deadline")
    }
    for rows, kind in ((awaited, ReminderKind.BEFORE), (late, ReminderKind.AFTER)):
        for unit in rows.select_related(*related).order_by("pk"):
            if (unit.pk, kind, unit.return_deadline) not in sent:
                yield unit, kind


def _message(unit: Unit, kind: str) -> tuple[str, str]:
    values = {"serial": unit.serial, "model": unit.unit_model, "deadline": unit.return_deadline}
    if kind == ReminderKind.BEFORE:
        return _("Please return your rented router %(serial)s") % values, _(
            "Please return the router %(model)s, serial number %(serial)s, with everything lent with it, "
            "by %(deadline)s."
        ) % values
    return _("Your rented router %(serial)s has not been returned") % values, _(
        "The router %(model)s, serial number %(serial)s, was due back by %(deadline)s. A unit not returned "
        "in time is charged as lost (Managed Router art. 9); please return it."
    ) % values


def claim(unit: Unit, kind: str, *, today: date) -> ReturnReminder | None:
    """Write (and commit) the reminder about to be sent; None when the customer has no contact, when it was
    sent already, or when another run is sending it today."""
    to = contact_of(unit)
    if not to:
        return None
    try:
        with transaction.atomic():
            row, created = ReturnReminder.objects.select_for_update().get_or_create(
                unit=unit,
                kind=kind,
                deadline=unit.return_deadline,
                defaults={"sent_on": today, "to_email": to, "status": ReminderStatus.SENDING},
            )
            if created:
                return row
            if row.status == ReminderStatus.SENT or (row.status == ReminderStatus.SENDING and row.sent_on == today):
                return None
            row.sent_on, row.to_email, row.status, row.error = today, to, ReminderStatus.SENDING, ""
            save_audited(row, by=None, reason=_("Tried again"))
            return row
    except IntegrityError:
        return None  # a concurrent run claimed it first


def deliver(reminder: ReturnReminder) -> bool:
    """E-mail a claimed reminder (outside any transaction) and record whether it went."""
    subject, body = _message(reminder.unit, reminder.kind)
    try:
        send_mail(subject, body, None, [reminder.to_email])
    except Exception as exc:  # noqa: BLE001 (SMTP errors, refused connections, timeouts: recorded, retried)
        logger.warning("Return reminder %s not sent: %s", reminder.pk, exc)
        reminder.status, reminder.error = ReminderStatus.FAILED, f"{type(exc).__name__}: {exc}"[:1000]
        save_audited(reminder, by=None, reason=_("Not sent"))
        return False
    reminder.status = ReminderStatus.SENT
    save_audited(reminder, by=None, reason=_("Sent"))
    return True


def send_due(today: date) -> tuple[list[ReturnReminder], list[ReturnReminder]]:
    """Claim and deliver every reminder due ``today``: ``(sent, failed)``."""
    claimed = [row for unit, kind in list(due(today)) if (row := claim(unit, kind, today=today))]
    sent, failed = [], []
    for row in claimed:
        (sent if deliver(row) else failed).append(row)
    return sent, failed
