"""Returns: when a Managed Router contract ends or a router rental option stops or shrinks, its units
are asked back with a deadline, and the rental cancellation fee per unit is recorded for staff to follow
(ISP annex 1 §3 (3); billing charges it from the facts themselves, ``billing_source``).
Connected to ``contracts.signals`` in ``EquipmentConfig.ready()``; the signals come on commit."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from contracts import selectors
from contracts.choices import ServiceCode
from contracts.models import Contract, ContractOption

from .. import rules
from ..billing_source import fee_units
from ..choices import IN_USE_STATES, UnitState
from ..models import RentalCancellationFee, Unit
from . import units

logger = logging.getLogger(__name__)


def ask_back(rows, *, on: date, deadline: date, by=None, note: str = "") -> int:
    """Units never shipped go back to stock; the others are asked back by ``deadline``. Returns the count."""
    asked = 0
    for unit in rows.filter(status__in=IN_USE_STATES).order_by("pk"):
        when = max(on, units.last_move_on(unit) or on)  # a backdated end never moves a unit into its past
        try:
            if unit.status == UnitState.ASSIGNED:
                units.unassign(unit, on=when, by=by, note=note)
            else:
                units.request_return(unit, on=when, deadline=deadline, by=by, note=note)
                asked += 1
        except ValidationError as exc:  # heard after the contract's commit: logged, left on the worklists
            logger.warning("Unit %s not asked back: %s", unit.serial, " ".join(exc.messages))
    return asked


def _is_router_rental(option) -> bool:
    return selectors.router_rental_options(live_only=False).filter(pk=option.pk).exists()


def _record_fee(option, *, units_count: int, on: date, change=None) -> RentalCancellationFee | None:
    if units_count <= 0 or option.cancellation_fee is None:
        return None
    fee = RentalCancellationFee(
        option=option,
        change=change,
        units=units_count,
        fee_per_unit=option.cancellation_fee,
        amount=units_count * option.cancellation_fee,
        arises_on=on,
    )
    try:
        fee.full_clean()
        with transaction.atomic():
            fee.save()
    except IntegrityError:
        return None  # already recorded: the unique key keeps one fee per stop or change
    except ValidationError as exc:  # heard after the option's commit: logged, never a server error
        logger.warning("No cancellation fee for %s: %s", option, " ".join(exc.messages))
        return None
    return fee


def on_terminated(sender, instance, on: date, reason: str, **kwargs) -> None:
    """A Managed Router contract ended: its units come back within 30 days (art. 7 ¶3). A router rental
    option stopped: its units come back without delay (ISP Platform art. 7 ¶4), and when the customer
    stopped it by notice (art. 7 ¶9) the cancellation fee per unit arises."""
    note = _("Contract ended on %(date)s") % {"date": date_text(on)}
    if sender is Contract and instance.service_id == ServiceCode.MANAGED_ROUTER:
        deadline = rules.managed_router_deadline(on)
        ask_back(Unit.objects.filter(contract=instance), on=on, deadline=deadline, note=note)
    elif sender is ContractOption and _is_router_rental(instance):
        with transaction.atomic():
            deadline = rules.without_delay_deadline(on)
            ask_back(Unit.objects.filter(option=instance), on=on, deadline=deadline, note=note)
            if selectors.router_rental_cancellations(up_to=on).filter(pk=instance.pk).exists():
                _record_fee(instance, units_count=instance.units, on=on)


def on_change_accepted(sender, instance, on: date, changes, **kwargs) -> None:
    """A router rental option rents fewer units: the cancellation fee per unit for those no longer rented.
    Which units come back is staff's choice (the unit count mismatch worklist shows the excess)."""
    if sender is not ContractOption or not _is_router_rental(instance):
        return
    for change in changes:
        if change.option_id == instance.pk and change.attribute == "units" and change.old_quantity is not None:
            _record_fee(instance, units_count=fee_units(change), on=on, change=change)
