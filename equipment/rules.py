"""The rules of the terms on rented units, each in one place: who may hold a unit, the return
deadlines (Managed Router art. 7 ¶3, ISP Platform art. 7), which installs are equipment changes
(art. 5 ¶3, art. 6 ¶1 (1); the contract's rule decides from the unit's facts), which incidents are
charged (art. 8, 9; ISP Platform art. 7 ¶6)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from backoffice.exceptions import RuleRefusal
from contracts import selectors

from .choices import CHARGE_OF_INCIDENT, CHARGED_CAUSES, IN_USE_STATES, IncidentKind, UnitState

#: Managed Router art. 7 ¶3: equipment is returned within 30 days after the contract ends.
MANAGED_ROUTER_RETURN_DAYS = 30


def managed_router_deadline(last_day: date) -> date:
    """The last day to return a managed router: 30 days counted from the contract's last day (SPEC §1)."""
    return last_day + timedelta(days=MANAGED_ROUTER_RETURN_DAYS)


def without_delay_days() -> int:
    """The days "without delay" gives the customer (ISP Platform art. 7; the failed unit of a swap too)."""
    return settings.EQUIPMENT_ISP_RETURN_DAYS


def without_delay_deadline(day: date) -> date:
    return day + timedelta(days=without_delay_days())


def check_holder(unit) -> None:
    """A unit is lent to a Managed Router contract (art. 3) or an ISP Platform router rental option (art. 7)."""
    if unit.contract_id and not selectors.managed_router_contracts(live_only=False).filter(pk=unit.contract_id):
        raise RuleRefusal({"contract": _("Units are lent to Managed Router contracts only (Managed Router art. 3).")})
    if unit.option_id and not selectors.router_rental_options(live_only=False).filter(pk=unit.option_id):
        raise RuleRefusal({"option": _("Units are lent to router rental options only (ISP Platform art. 7).")})


def check_can_assign(*, contract=None, option=None, in_use: int = 0) -> None:
    """A unit goes to a live holder; a router rental option holds no more units than it rents."""
    if (contract is None) == (option is None):
        raise RuleRefusal(_("Choose one Managed Router contract or one router rental option."))
    if contract is not None and not selectors.managed_router_contracts().filter(pk=contract.pk):
        raise RuleRefusal(_("Units are assigned to live Managed Router contracts only (Managed Router art. 3)."))
    if option is not None:
        if not selectors.router_rental_options().filter(pk=option.pk):
            raise RuleRefusal(_("Units are assigned to live router rental options only (ISP Platform art. 7)."))
        if in_use >= option.units:
            raise RuleRefusal(
                _("The router rental option rents %(units)d units and holds them all (ISP Platform art. 7).")
                % {"units": option.units}
            )


def in_use_count(option) -> int:
    """Units the option holds in use (lost, damaged and awaited ones no longer count against it)."""
    return option.rented_units.filter(status__in=IN_USE_STATES).count()


def is_equipment_change(unit, on: date) -> bool:
    """Whether installing ``unit`` on ``on`` is an addition or change of equipment under Managed Router
    art. 6 ¶1 (1), the one that carries the change fee (annex 1 §3 (1)) and restarts the contract's 1-year
    period (art. 5 ¶3), as the contract's rule decides (``selectors.equipment_install_is_change``): a unit
    installed after the billing start on a contract that had equipment installed on an earlier day, unless it
    is the replacement we shipped for a failure (art. 8) or a loss or damage (art. 9). The units of the
    first installation and those installed up to the billing start are the delivery (art. 3)."""
    from .models import Incident, UnitEvent

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


def chargeable() -> Q:
    """The incidents that call for a charge, as ``charge_kind`` decides them one by one (the assessment worklist)."""
    return (
        Q(kind__in=(IncidentKind.LOSS, IncidentKind.NOT_RETURNED))
        | Q(kind=IncidentKind.DAMAGE, option__isnull=True)
        | Q(kind=IncidentKind.FAILURE, cause__in=CHARGED_CAUSES, option__isnull=True)
    )


def charge_kind(incident) -> str:
    """The charge an incident may produce, or a refusal: a failure is charged only when the customer caused
    it or none was found (Managed Router art. 8, annex 1 3.(5)); loss and damage whatever the cause (art. 9).
    A rented ISP router carries a loss charge only (亡失負担金, ISP Platform art. 7 ¶6, 別紙1 §3 (2)): the ISP
    terms name no damage charge nor a failure handling charge."""
    if incident.kind == IncidentKind.FAILURE and incident.option_id:
        raise RuleRefusal(_("The ISP Platform terms charge no failure handling for rented routers (annex 1)."))
    if incident.kind == IncidentKind.DAMAGE and incident.option_id:
        raise RuleRefusal(
            _(
                "The ISP Platform terms charge only the loss of a rented router, not its damage "
                "(ISP Platform art. 7 ¶6, annex 1 §3 (2))."
            )
        )
    if incident.kind == IncidentKind.FAILURE and incident.cause not in CHARGED_CAUSES:
        raise RuleRefusal(
            _(
                "A failure handling charge applies only when the failure was the customer's fault or no failure "
                "was found (Managed Router art. 8, annex 1 3.(5))."
            )
        )
    return CHARGE_OF_INCIDENT[incident.kind]
