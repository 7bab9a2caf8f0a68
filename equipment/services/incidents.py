"""Failures (Managed Router art. 8), losses and damage (art. 9, ISP Platform art. 7) and units not
returned in time: each an ``Incident`` beside the unit's moves. A unit not returned within 30 days after its
Managed Router contract ended is deemed lost (art. 9 ¶2); any other overdue return is followed up by a
person, the customer's answers recorded, until the unit comes back or staff record it lost."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition, RuleRefusal
from backoffice.moves import lock, save_audited

from .. import rules
from ..choices import Cause, IncidentKind, Resolution, ReturnCondition, UnitState
from ..models import FollowUp, Incident, Unit
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
    if lock(unit).status == UnitState.NOT_RETURNED:
        raise InvalidTransition(
            _("This unit's return is overdue: its overdue incident records it lost, and is charged once.")
        )
    row = units.step(unit, STATE_OF_INCIDENT[kind], on=on, by=by, note=note, return_deadline=None, return_ground="")
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
    """A unit past its return deadline is "not returned", with an incident naming the article its return rests
    on. Deemed lost where the terms deem it (Managed Router art. 9 ¶2: its loss charge waits for assessment);
    otherwise an overdue return a person follows up from ``rules.first_follow_up``. None if already done."""
    try:
        with transaction.atomic():
            row = lock(unit)
            if row.status != UnitState.RETURN_REQUESTED or row.return_deadline >= today:
                return None
            units.step(row, UnitState.NOT_RETURNED, on=today, by=by, note=_("Return deadline passed"))
            values = {"date": date_text(row.return_deadline), "article": row.return_article}
            if rules.deemed_lost(row.return_ground):
                note, follow_up_on = _("Not returned by %(date)s: deemed lost (%(article)s)") % values, None
            else:
                note = _("Not returned by %(date)s: to follow up with the customer (%(article)s)") % values
                follow_up_on = max(today, rules.first_follow_up(row.return_deadline))
            return _open(
                row,
                IncidentKind.NOT_RETURNED,
                on=today,
                by=by,
                return_deadline=row.return_deadline,
                ground=row.return_ground,
                follow_up_on=follow_up_on,
                note=note,
            )
    except IntegrityError:
        return None  # a concurrent run flagged it first: the unique key keeps one incident


@transaction.atomic
def record_answer(incident: Incident, *, on: date, answer: str, next_on: date, by=None) -> FollowUp:
    """A person contacted the customer about an overdue return: the answer, dated, and the next day to follow up
    (the incident leaves the follow-up worklist until then)."""
    row = lock(incident)
    rules.check_follows_up(row)
    if not answer.strip():
        raise RuleRefusal({"answer": _("Write down what the customer said.")})
    if on < row.reported_on:
        raise RuleRefusal({"on": _("A follow-up is dated on or after the incident was reported.")})
    follow_up = FollowUp(incident=row, on=on, by=by, answer=answer.strip(), next_on=next_on)
    save_audited(follow_up, by=by, reason=_("Customer's answer recorded"))
    row.follow_up_on = next_on
    save_audited(
        row,
        by=by,
        reason=_("Customer's answer of %(date)s: follow up on %(next)s")
        % {"date": date_text(on), "next": date_text(next_on)},
    )
    incident.refresh_from_db()
    return follow_up


@transaction.atomic
def record_lost(incident: Incident, *, on: date, by=None, note: str = "") -> Incident:
    """Staff record lost a unit whose return is overdue and which the terms do not deem lost (a rented ISP router,
    ISP Platform art. 7 ¶4, ¶6; a failed unit swapped, Managed Router art. 8): the unit is lost, no longer
    awaited, and its loss charge can be assessed (ISP Platform art. 7 ¶6; Managed Router art. 9 ¶2)."""
    row = lock(incident)
    rules.check_follows_up(row)
    reason = _("Recorded lost (%(article)s)") % {"article": row.article}
    units.step(
        row.unit,
        UnitState.LOST,
        on=on,
        by=by,
        note=f"{reason} {note}".strip(),
        return_deadline=None,
        return_ground="",
    )
    row.recorded_lost_on, row.recorded_lost_by, row.follow_up_on = on, by, None
    save_audited(row, by=by, reason=f"{reason} {note}".strip())
    incident.refresh_from_db()
    return row
