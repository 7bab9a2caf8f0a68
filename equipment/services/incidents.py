"""Failures (Managed Router art. 8), losses and damage (art. 9, ISP Platform art. 7) and units not
returned in time (art. 9 ¶2): each an ``Incident`` beside the unit's moves."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.exceptions import InvalidTransition, RuleRefusal
from backoffice.moves import lock, save_audited

from .. import rules
from ..choices import Cause, IncidentKind, Resolution, ReturnCondition, UnitState
from ..models import Incident, Unit
from . import units

STATE_OF_INCIDENT = {IncidentKind.LOSS: UnitState.LOST, IncidentKind.DAMAGE: UnitState.DAMAGED}


def _open(unit: Unit, kind: str, *, on: date, by, note: str = "", holder=None, **fields) -> Incident:
    contract, option = (unit.contract, unit.option) if holder is None else holder
    incident = Incident(
        unit=unit, kind=kind, reported_on=on, reported_by=by, contract=contract, option=option, note=note
    )
    for name, value in fields.items():
        setattr(incident, name, value)
    save_audited(incident, by=by, reason=_("Reported"))
    return incident


@transaction.atomic
def report_failure(unit: Unit, *, on: date, by=None, note: str = "") -> Incident:
    """The customer reports a failure of an installed unit (Managed Router art. 8)."""
    row = units.step(unit, UnitState.FAILURE_REPORTED, on=on, by=by, note=note)
    return _open(row, IncidentKind.FAILURE, on=on, by=by, note=note)


@transaction.atomic
def report_loss_or_damage(unit: Unit, kind: str, *, on: date, by=None, note: str = "") -> Incident:
    """The customer reports a lost or damaged unit (art. 9), also while its return is awaited: the return
    deadline stops running, the unit is no longer expected back."""
    if kind not in STATE_OF_INCIDENT:
        raise InvalidTransition(_("Report a loss or a damage here."))
    row = units.step(unit, STATE_OF_INCIDENT[kind], on=on, by=by, note=note, return_deadline=None)
    return _open(row, kind, on=on, by=by, note=note)


@transaction.atomic
def receive_return(
    unit: Unit, *, condition: str, on: date, by=None, carrier="", tracking_number="", note=""
) -> Incident | None:
    """Receive a returned unit and record its condition. A unit asked back that arrives damaged or with parts
    missing opens a damage incident for its holder (Managed Router art. 7 ¶2, art. 9; ISP Platform art. 7);
    one already lost, damaged or unreturned has its incident already. Returns the incident opened, if any."""
    row = lock(unit)
    awaited, holder = row.status == UnitState.RETURN_REQUESTED, (row.contract, row.option)
    row = units.receive_return(
        row, on=on, by=by, carrier=carrier, tracking_number=tracking_number, condition=condition, note=note
    )
    unit.refresh_from_db()
    if not awaited or condition == ReturnCondition.GOOD:
        return None
    label = ReturnCondition(condition).label
    return _open(row, IncidentKind.DAMAGE, on=on, by=by, note=f"{label}: {note}".rstrip(": "), holder=holder)


def _locked_incident(incident: Incident) -> Incident:
    row = lock(incident)
    if row.resolved_on:
        raise InvalidTransition(_("This incident is already resolved."))
    return row


@transaction.atomic
def start_investigation(incident: Incident, *, on: date, by=None, note: str = "") -> Incident:
    row = _locked_incident(incident)
    if row.kind != IncidentKind.FAILURE:
        raise InvalidTransition(_("Only a failure is investigated (Managed Router art. 8)."))
    units.step(row.unit, UnitState.UNDER_INVESTIGATION, on=on, by=by, note=note)
    return row


def _ship_replacement(row: Incident, replacement: Unit, *, on, by, carrier, tracking_number) -> None:
    units.assign(replacement, on=on, by=by, contract=row.contract, option=row.option, note=str(row))
    units.ship(replacement, on=on, by=by, carrier=carrier, tracking_number=tracking_number, note=str(row))
    row.replacement = replacement


@transaction.atomic
def resolve_failure(
    incident: Incident,
    *,
    cause: str,
    resolution: str,
    on: date,
    by=None,
    replacement: Unit | None = None,
    carrier: str = "",
    tracking_number: str = "",
) -> Incident:
    """Record the investigation outcome and the repair: the unit back in service, or swapped for a
    replacement while the failed one is asked back "without delay"."""
    row = _locked_incident(incident)
    if row.kind != IncidentKind.FAILURE or row.unit.status != UnitState.UNDER_INVESTIGATION:
        raise InvalidTransition(_("Resolve a failure once its investigation has started."))
    if cause == Cause.MINOR and resolution != Resolution.NO_ACTION:
        raise RuleRefusal(
            _("A minor failure is handled by the customer as instructed: no repair (Managed Router art. 8).")
        )
    if (resolution == Resolution.REPLACED) != (replacement is not None):
        raise RuleRefusal(_("A replacement unit is chosen when, and only when, the unit is replaced."))
    row.cause, row.resolution, row.resolved_on = cause, resolution, on
    if resolution == Resolution.REPLACED:
        deadline = rules.without_delay_deadline(on)
        units.request_return(row.unit, on=on, by=by, deadline=deadline, note=_("Replaced after a failure"))
        _ship_replacement(row, replacement, on=on, by=by, carrier=carrier, tracking_number=tracking_number)
    else:
        units.step(row.unit, UnitState.INSTALLED, on=on, by=by, note=row.get_resolution_display())
    save_audited(row, by=by, reason=_("Investigated: %(cause)s") % {"cause": row.get_cause_display()})
    incident.refresh_from_db()
    return row


@transaction.atomic
def ship_replacement(
    incident: Incident, replacement: Unit, *, on: date, by=None, carrier: str = "", tracking_number: str = ""
) -> Incident:
    """Ship a unit in stock to the holder of a lost or damaged unit (art. 9: the provider ships a replacement)."""
    row = _locked_incident(incident)
    if row.kind not in STATE_OF_INCIDENT:
        raise InvalidTransition(_("A replacement is shipped for a lost or damaged unit."))
    _ship_replacement(row, replacement, on=on, by=by, carrier=carrier, tracking_number=tracking_number)
    row.resolution, row.resolved_on = Resolution.REPLACED, on
    save_audited(row, by=by, reason=_("Replacement %(serial)s shipped") % {"serial": replacement.serial})
    incident.refresh_from_db()
    return row


def flag_overdue(unit: Unit, *, today: date, by=None) -> Incident | None:
    """A unit past its return deadline is "not returned" and treated as lost (art. 9 ¶2); None if already done."""
    try:
        with transaction.atomic():
            row = lock(unit)
            if row.status != UnitState.RETURN_REQUESTED or row.return_deadline >= today:
                return None
            units.step(row, UnitState.NOT_RETURNED, on=today, by=by, note=_("Return deadline passed"))
            return _open(
                row,
                IncidentKind.NOT_RETURNED,
                on=today,
                by=by,
                return_deadline=row.return_deadline,
                note=_("Not returned by %(date)s (Managed Router art. 9)") % {"date": row.return_deadline},
            )
    except IntegrityError:
        return None  # a concurrent run flagged it first: the unique key keeps one incident
