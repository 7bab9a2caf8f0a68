"""What waits for staff: the rows behind each worklist, as querysets (each count one query)."""

from django.db.models import Count, F, Q
from django.utils import timezone

from contracts import selectors

from . import rules
from .choices import IN_USE_STATES, ChargeState, IncidentKind, UnitState
from .models import Charge, Incident, Unit
from .selectors import UNIT_WORKLISTS


def units_in(worklist: str):
    return Unit.objects.filter(UNIT_WORKLISTS[worklist][1]())


def to_assess():
    """Incidents that call for a charge and have none yet (``rules.chargeable``)."""
    return Incident.objects.filter(rules.chargeable(), charge__isnull=True)


def to_follow_up(today=None):
    """Overdue returns not deemed lost whose unit is still out and whose day to follow up has come: a person
    contacts the customer, records the answer or records the unit lost (``rules.check_follows_up``)."""
    today = today or timezone.localdate()
    return Incident.objects.filter(
        kind=IncidentKind.NOT_RETURNED,
        recorded_lost_on__isnull=True,
        follow_up_on__lte=today,
        unit__status=UnitState.NOT_RETURNED,
        unit__return_deadline=F("return_deadline"),
    )


def awaiting_approval():
    return Charge.objects.filter(status=ChargeState.ASSESSED)


def rental_mismatches():
    """Live router rental options whose units in use differ from the units they rent (ISP Platform art. 7)."""
    return (
        selectors.router_rental_options()
        .annotate(in_use=Count("rented_units", filter=Q(rented_units__status__in=IN_USE_STATES)))
        .exclude(in_use=F("units"))
    )
