"""The units' moves and incidents on the customer timeline (added to ``backoffice.timeline`` in ``ready()``)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from backoffice.display import yen
from backoffice.timeline import Event, needs

from .models import Incident, UnitEvent


def _of(customer) -> Q:
    return Q(contract__customer=customer) | Q(option__contract__customer=customer)


@needs("equipment.view_unitevent", "equipment.view_unit")
def unit_events(customer):
    rows = UnitEvent.objects.filter(_of(customer)).select_related("unit__unit_model", "by")
    for event in rows.order_by("on", "pk"):
        parts = [str(event.unit.unit_model)]
        if event.tracking_number:
            parts.append(f"{event.carrier} {event.tracking_number}".strip())
        if event.note:
            parts.append(event.note)
        yield Event(
            event.on,
            _("Unit: %(state)s") % {"state": event.get_to_status_display()},
            event.unit.serial,
            "; ".join(parts),
            event.unit.get_absolute_url(),
        )


@needs("equipment.view_incident", "equipment.view_unit", "equipment.view_charge")
def incident_events(customer):
    rows = Incident.objects.filter(_of(customer)).select_related("unit", "charge")
    for incident in rows.order_by("reported_on", "pk"):
        text = incident.get_cause_display() if incident.cause else ""
        charge = getattr(incident, "charge", None)
        if charge is not None:
            amount = f"{charge.get_kind_display()} {yen(charge.amount)} ({charge.get_status_display()})"
            text = f"{text}; {amount}" if text else amount
        yield Event(
            incident.reported_on,
            _("Incident: %(kind)s") % {"kind": incident.get_kind_display()},
            incident.unit.serial,
            text,
            incident.get_absolute_url(),
        )


SOURCES = (unit_events, incident_events)
