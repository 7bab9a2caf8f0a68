"""Return reminders e-mailed to the customer before and after the deadline, each recorded and never sent
twice: the row and the e-mail go together in one transaction, and a unique key refuses a second row."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..choices import ReminderKind, UnitState
from ..models import ReturnReminder, Unit


def contact_of(unit: Unit) -> str:
    """Who is reminded: the failure contact, who looks after the equipment; else the billing contact."""
    customer = unit.customer
    return customer.failure_contact_email or customer.billing_contact_email


def due(today: date):
    """``(unit, kind)`` of every reminder due on ``today`` and not yet sent."""
    before = today + timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_BEFORE)
    after = today - timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_AFTER)
    related = ("contract__customer", "option__contract__customer")
    awaited = Unit.objects.filter(status=UnitState.RETURN_REQUESTED, return_deadline__range=(today, before))
    late = Unit.objects.filter(status=UnitState.NOT_RETURNED, return_deadline__lte=after)
    sent = {
        (unit_id, kind, deadline)
        for unit_id, kind, deadline in ReturnReminder.objects.filter(
            unit__status__in=(UnitState.RETURN_REQUESTED, UnitState.NOT_RETURNED)
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


def send(unit: Unit, kind: str, *, today: date) -> ReturnReminder | None:
    """Send and record one reminder; None when the customer has no contact or it was already sent."""
    to = contact_of(unit)
    if not to:
        return None
    try:
        with transaction.atomic():
            reminder = ReturnReminder.objects.create(
                unit=unit, kind=kind, deadline=unit.return_deadline, sent_on=today, to_email=to
            )
            subject, body = _message(unit, kind)
            send_mail(subject, body, None, [to])
    except IntegrityError:
        return None
    return reminder
