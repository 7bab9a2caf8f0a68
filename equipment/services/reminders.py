"""Return reminders e-mailed to the customer before and after the deadline, each recorded and sent once.

A reminder's row (unique per unit, deadline and kind) and its e-mail in the outbox are written in one
transaction; the e-mail goes after the commit, never inside a transaction, and the outbox records whether
it went. A failed one (the mail server refused or was unreachable) is tried again by the next day's run."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from outbox import sending
from outbox.choices import MessageState

from .. import rules
from ..choices import AWAITED_STATES, ReminderKind, UnitState
from ..models import ReturnReminder, Unit

TOPIC = "equipment.reminder"


def contact_of(unit: Unit) -> str:
    """Who is reminded: the failure contact, who looks after the equipment; else the billing contact."""
    customer = unit.customer
    return customer.failure_contact_email or customer.billing_contact_email


def due(today: date):
    """``(unit, kind)`` of every reminder due on ``today`` and not yet queued."""
    before = today + timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_BEFORE)
    after = today - timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_AFTER)
    related = ("contract__customer", "option__contract__customer")
    awaited = Unit.objects.filter(status=UnitState.RETURN_REQUESTED, return_deadline__range=(today, before))
    late = Unit.objects.filter(status=UnitState.NOT_RETURNED, return_deadline__lte=after)
    queued = set(ReturnReminder.objects.filter(unit__status__in=AWAITED_STATES).values_list("unit", "kind", "deadline"))
    for rows, kind in ((awaited, ReminderKind.BEFORE), (late, ReminderKind.AFTER)):
        for unit in rows.select_related(*related).order_by("pk"):
            if (unit.pk, kind, unit.return_deadline) not in queued:
                yield unit, kind


def _message(unit: Unit, kind: str) -> tuple[str, str]:
    """The reminder names the article the return rests on; after the deadline, it says a loss charge follows
    only where the terms deem the unit lost (Managed Router art. 9 ¶2), and otherwise asks the customer to
    return it or tell us it is lost."""
    values = {
        "serial": unit.serial,
        "model": unit.unit_model,
        "deadline": date_text(unit.return_deadline),
        "article": unit.return_article,
    }
    if kind == ReminderKind.BEFORE:
        return _("Please return your rented router %(serial)s") % values, _(
            "Please return the router %(model)s, serial number %(serial)s, with everything lent with it, "
            "by %(deadline)s (%(article)s)."
        ) % values
    subject = _("Your rented router %(serial)s has not been returned") % values
    if rules.deemed_lost(unit.return_ground):
        return subject, _(
            "The router %(model)s, serial number %(serial)s, was due back by %(deadline)s, 30 days after your "
            "contract ended. A unit not returned within that period is charged as lost (%(article)s); please "
            "return it."
        ) % values
    return subject, _(
        "The router %(model)s, serial number %(serial)s, was due back by %(deadline)s (%(article)s) and has not "
        "reached us. Please return it, or tell us if it has been lost: our staff will contact you about it."
    ) % values


def claim(unit: Unit, kind: str, *, today: date) -> ReturnReminder | None:
    """Record the reminder and queue its e-mail in one transaction; None when the customer has no contact or
    another run queued it first."""
    to = contact_of(unit)
    if not to:
        return None
    subject, body = _message(unit, kind)
    try:
        with transaction.atomic():
            message = sending.post(
                topic=TOPIC,
                key=f"{TOPIC}:{unit.pk}:{kind}:{unit.return_deadline.isoformat()}",
                to=to,
                subject=subject,
                body=body,
                dispatch=False,
            )
            return ReturnReminder.objects.create(
                unit=unit, kind=kind, deadline=unit.return_deadline, queued_on=today, to_email=to, message=message
            )
    except IntegrityError:
        return None  # a concurrent run queued it first


def send_due(today: date) -> tuple[list[ReturnReminder], list[ReturnReminder]]:
    """Queue every reminder due ``today`` and send it, with those that could not go before: ``(sent, failed)``.

    The daily run tries a failed reminder again, as the outbox's own sweep does when it is scheduled."""
    failed_before = ReturnReminder.objects.filter(
        unit__status__in=AWAITED_STATES, message__state=MessageState.FAILED
    ).select_related("unit", "message")
    claimed = [row for unit, kind in list(due(today)) if (row := claim(unit, kind, today=today))]
    sent, failed = [], []
    for row in [*failed_before, *claimed]:
        row.message = sending.send(row.message)
        if row.message.state == MessageState.SENT:
            sent.append(row)
        elif row.message.state == MessageState.FAILED:
            failed.append(row)
    return sent, failed
