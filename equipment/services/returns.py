"""Returns: when a Managed Router contract ends or a router rental option stops, its units are asked back
with a deadline. The rental cancellation fee per unit (ISP annex 1 §3 (3)) is not recorded here: billing
derives it from the stop or the change itself (``billing_source``).
Connected to ``contracts.signals`` in ``EquipmentConfig.ready()``; the signals come on commit."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.display import date_text
from contracts import selectors
from contracts.choices import ServiceCode
from contracts.models import Contract, ContractOption

from .. import rules
from ..choices import IN_USE_STATES, UnitState
from ..models import Unit
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


def on_terminated(sender, instance, on: date, reason: str, **kwargs) -> None:
    """A Managed Router contract ended: its units come back within 30 days (art. 7 ¶3). A router rental
    option stopped: its units come back without delay (ISP Platform art. 7 ¶4); the cancellation fee it may
    owe (art. 7 ¶9) is billing's, derived from the stop itself (``billing_source``)."""
    note = _("Contract ended on %(date)s") % {"date": date_text(on)}
    if sender is Contract and instance.service_id == ServiceCode.MANAGED_ROUTER:
        deadline = rules.managed_router_deadline(on)
        ask_back(Unit.objects.filter(contract=instance), on=on, deadline=deadline, note=note)
    elif sender is ContractOption and _is_router_rental(instance):
        deadline = rules.without_delay_deadline(on)
        ask_back(Unit.objects.filter(option=instance), on=on, deadline=deadline, note=note)
