"""The only code that moves a unit: each move locked, checked against ``TRANSITIONS``, audited, and
written as a ``UnitEvent`` (date, staff, from → to, carrier and tracking number)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import date_text, display_value
from backoffice.exceptions import InvalidTransition
from backoffice.moves import check_move, lock, save_audited
from contracts import selectors
from contracts.services.managed_router import record_equipment_change

from .. import rules
from ..choices import TRANSITIONS, ReturnCondition, UnitState
from ..models import Incident, Unit, UnitEvent


def last_move_on(unit: Unit) -> date | None:
    return unit.events.order_by("-on").values_list("on", flat=True).first()


def _check_date(row: Unit, on: date) -> None:
    last = last_move_on(row)
    if last and on < last:
        raise InvalidTransition(
            _("A move of %(unit)s cannot come before its last move (%(date)s).")
            % {"unit": row, "date": date_text(last)}
        )
    if on > timezone.localdate():
        raise InvalidTransition(_("A move cannot be recorded for a future day."))


def record_event(
    row: Unit, *, before: str, on: date, by, note="", carrier="", tracking_number="", condition="", holder=None
):
    contract, option = (row.contract, row.option) if holder is None else holder
    return UnitEvent.objects.create(
        unit=row,
        on=on,
        by=by,
        from_status=before,
        to_status=row.status,
        contract=contract,
        option=option,
        carrier=carrier,
        tracking_number=tracking_number,
        condition=condition,
        note=note,
    )


@transaction.atomic
def step(
    unit: Unit, to: str, *, on: date, by=None, note="", carrier="", tracking_number="", condition="", **changes
) -> Unit:
    """Move ``unit`` to state ``to`` on ``on``, setting ``changes`` (holder, deadline); returns the saved row."""
    row = lock(unit)
    check_move(row, to, TRANSITIONS)
    _check_date(row, on)
    before, holder = row.status, (row.contract, row.option)
    row.status = to
    for name, value in changes.items():
        setattr(row, name, value)
    status = Unit._meta.get_field("status")
    reason = _("%(old)s → %(new)s") % {"old": display_value(status, before), "new": display_value(status, to)}
    save_audited(row, by=by, reason=f"{reason} {note}".strip())
    keeps_holder = row.contract_id or row.option_id
    record_event(
        row,
        before=before,
        on=on,
        by=by,
        note=note,
        carrier=carrier,
        tracking_number=tracking_number,
        condition=condition,
        holder=None if keeps_holder else holder,
    )
    unit.refresh_from_db()
    return row


@transaction.atomic
def add_unit(unit: Unit, *, on: date, by=None, note: str = "") -> Unit:
    """Receive a new unit into stock (a single unit in the admin, or a row of an import)."""
    unit.status = UnitState.IN_STOCK
    save_audited(unit, by=by, reason=_("Received into stock"))
    record_event(unit, before="", on=on, by=by, note=note)
    return unit


@transaction.atomic
def assign(unit: Unit, *, on: date, by=None, contract=None, option=None, note: str = "") -> Unit:
    """Assign a unit in stock to a live Managed Router contract or router rental option."""
    if option is not None:
        option = lock(option)  # two units assigned at once cannot both take the last free place
    rules.check_can_assign(contract=contract, option=option, in_use=rules.in_use_count(option) if option else 0)
    return step(unit, UnitState.ASSIGNED, on=on, by=by, note=note, contract=contract, option=option)


def unassign(unit: Unit, *, on: date, by=None, note: str = "") -> Unit:
    return step(unit, UnitState.IN_STOCK, on=on, by=by, note=note, contract=None, option=None)


def ship(unit: Unit, *, on: date, by=None, carrier: str = "", tracking_number: str = "", note: str = "") -> Unit:
    return step(unit, UnitState.SHIPPED, on=on, by=by, note=note, carrier=carrier, tracking_number=tracking_number)


def is_equipment_change(unit, on: date) -> bool:
    """Whether installing ``unit`` on ``on`` is an addition or change of equipment under Managed Router
    art. 6 ¶1 (1), the one that carries the change fee (annex 1 §3 (1)) and restarts the contract's 1-year
    period (art. 5 ¶3), as the contract's rule decides (``contracts.selectors.equipment_install_is_change``): a unit
    installed after the billing start on a contract that had equipment installed on an earlier day, unless it
    is the replacement we shipped for a failure (art. 8) or a loss or damage (art. 9). The units of the
    first installation and those installed up to the billing start are the delivery (art. 3)."""
    if not unit.contract_id:
        return False
    had_equipment = UnitEvent.objects.filter(
        contract=unit.contract_id, to_status=UnitState.INSTALLED, on__lt=on
    ).exists()
    assigned_on = unit.events.filter(to_status=UnitState.ASSIGNED).order_by("-on", "-pk").values("on")[:1]
    replacement = Incident.objects.filter(
        replacement=unit, contract=unit.contract_id, resolved_on__gte=assigned_on
    ).exists()
    return selectors.equipment_install_is_change(
        contract=unit.contract, on=on, had_equipment=had_equipment, replacement=replacement
    )


@transaction.atomic
def install(unit: Unit, *, on: date, by=None, change_fee: int | None = None, note: str = "") -> Unit:
    """Record a shipped unit installed. On a Managed Router contract, a unit the customer asked for after the
    billing start, beside equipment installed on an earlier day, is an equipment change, recorded with its fee,
    that restarts the contract's 1-year minimum period (art. 5 ¶3, art. 6 ¶1 (1)); the delivery (the first
    installation, everything installed up to the billing start, art. 3) and the replacement of a failed, lost
    or damaged unit (art. 8, 9) are not, and take no fee."""
    row = step(unit, UnitState.INSTALLED, on=on, by=by, note=note)
    if is_equipment_change(row, on):
        record_equipment_change(
            row.contract, on=on, by=by, fee=change_fee, note=_("Unit %(serial)s installed") % {"serial": row.serial}
        )
    return row


@transaction.atomic
def request_return(unit: Unit, *, on: date, deadline: date, by=None, note: str = "") -> Unit:
    """Ask a unit back by ``deadline``, recording what the return rests on (``rules.return_ground``): that
    decides what a missed deadline leads to. A unit of an ended Managed Router contract keeps art. 7 ¶3's
    30 days at least; no deadline comes before the request."""
    if deadline < on:
        raise InvalidTransition({"deadline": _("The deadline cannot come before the request.")})
    row = lock(unit)
    ground = rules.return_ground(row)
    rules.check_return_deadline(row, ground, deadline)
    row = step(row, UnitState.RETURN_REQUESTED, on=on, by=by, note=note, return_deadline=deadline, return_ground=ground)
    unit.refresh_from_db()
    return row


@transaction.atomic
def receive_return(
    unit: Unit, *, on: date, by=None, carrier="", tracking_number="", condition=ReturnCondition.GOOD, note=""
) -> Unit:
    """The unit is back in our hands, in the condition recorded on its move; a lost one, or one the terms deem
    lost, is flagged found (its charge stays, art. 9 ¶3; ISP Platform art. 7 ¶7). A late return not deemed
    lost is just late. ``incidents.receive_return`` also opens the damage incident."""
    row = lock(unit)
    found = row.found or _lost(row)
    row = step(
        row,
        UnitState.RETURNED,
        on=on,
        by=by,
        note=note,
        carrier=carrier,
        tracking_number=tracking_number,
        condition=condition,
        contract=None,
        option=None,
        return_deadline=None,
        return_ground="",
        found=found,
    )
    unit.refresh_from_db()
    return row


def _lost(row: Unit) -> bool:
    """Recorded lost, or not returned where the terms deem it lost (Managed Router art. 9 ¶2)."""
    return row.status == UnitState.LOST or (
        row.status == UnitState.NOT_RETURNED and rules.deemed_lost(row.return_ground)
    )


def refurbish(unit: Unit, *, on: date, by=None, note: str = "") -> Unit:
    return step(unit, UnitState.REFURBISHED, on=on, by=by, note=note)


def restock(unit: Unit, *, on: date, by=None, note: str = "") -> Unit:
    return step(unit, UnitState.IN_STOCK, on=on, by=by, note=note)


def dispose(unit: Unit, *, on: date, by=None, note: str = "") -> Unit:
    return step(unit, UnitState.DISPOSED, on=on, by=by, note=note)


@transaction.atomic
def mark_found(unit: Unit, *, on: date, by=None, note: str = "") -> Unit:
    """A lost unit, or one deemed lost, was found at the customer's: flagged, its state and charge unchanged
    (art. 9 ¶3)."""
    row = lock(unit)
    if not _lost(row) or row.found:
        raise InvalidTransition(_("Only a lost unit, or one deemed lost, not yet found can be flagged found."))
    _check_date(row, on)
    row.found = True
    save_audited(row, by=by, reason=_("Found (Managed Router art. 9: charges already assessed stay)"))
    record_event(row, before=row.status, on=on, by=by, note=note or _("Found"))
    unit.refresh_from_db()
    return row
