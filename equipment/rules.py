"""The rules of the terms on rented units, each in one place: who may hold a unit, the return
deadlines (Managed Router art. 7 ¶3, ISP Platform art. 7), what a missed deadline leads to (deemed lost
only under Managed Router art. 9 ¶2; otherwise an overdue return followed up until staff record the unit
lost), which installs are equipment changes (art. 5 ¶3, art. 6 ¶1 (1); the contract's rule decides from
the unit's facts), which incidents are charged (art. 8, 9; ISP Platform art. 7 ¶6)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition, RuleRefusal
from contracts import selectors

from .choices import (
    CHARGE_OF_INCIDENT,
    CHARGED_CAUSES,
    FAILURE_STATES,
    IN_USE_STATES,
    IncidentKind,
    ReturnGround,
    UnitState,
)

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


#: The articles each return rests on: the one that asks the unit back and, for a contract's end, the one
#: that deems it lost (named by the overdue incident, the unit page and the reminders).
RETURN_ARTICLES = {
    ReturnGround.CONTRACT_ENDED: gettext_lazy("Managed Router art. 7 ¶3, art. 9 ¶2"),
    ReturnGround.RENTAL: gettext_lazy("ISP Platform art. 7 ¶4, ¶6"),
    ReturnGround.FAILED_UNIT: gettext_lazy("Managed Router art. 8"),
    ReturnGround.ASKED_BACK: gettext_lazy("Managed Router art. 6 ¶1 (1)"),
}

#: The one return whose miss the terms deem a loss: Managed Router art. 9 ¶2 「第7条第3項に定める返還が
#: なかった場合の当該ルータ等を含みます」. Every other overdue unit is lost only when staff record it so.
DEEMED_LOST = frozenset({ReturnGround.CONTRACT_ENDED})


def return_article(ground: str) -> str:
    return str(RETURN_ARTICLES[ground]) if ground else ""


def deemed_lost(ground: str) -> bool:
    """Whether a unit not returned by its deadline is lost by the terms themselves (Managed Router art. 9 ¶2)."""
    return ground in DEEMED_LOST


def return_ground(unit) -> str:
    """What the return of ``unit`` rests on, read from its holder and state when it is asked back: a rented ISP
    router comes back "without delay" once no longer used, whether its option stopped, shrank or the unit was
    swapped (ISP Platform art. 7 ¶4); a unit of an ended Managed Router contract within 30 days (art. 7 ¶3); a
    failed unit at our instruction (art. 8 ¶1); any other unit of a live contract is given back in an
    equipment change (art. 6 ¶1 (1))."""
    if unit.option_id:
        return ReturnGround.RENTAL
    if unit.contract is not None and unit.contract.terminated_on is not None:
        return ReturnGround.CONTRACT_ENDED
    if unit.status in FAILURE_STATES:
        return ReturnGround.FAILED_UNIT
    return ReturnGround.ASKED_BACK


def check_return_deadline(unit, ground: str, deadline: date) -> None:
    """A unit of an ended Managed Router contract has the 30 days of art. 7 ¶3 at least: an earlier deadline
    would deem it lost before the terms do (art. 9 ¶2)."""
    if ground == ReturnGround.CONTRACT_ENDED:
        least = managed_router_deadline(unit.contract.terminated_on)
        if deadline < least:
            raise RuleRefusal(
                {
                    "deadline": _(
                        "The customer has until %(date)s, 30 days after the contract ended, to return the unit "
                        "(Managed Router art. 7 ¶3)."
                    )
                    % {"date": date_text(least)}
                }
            )


def first_follow_up(deadline: date) -> date:
    """The day an overdue return not deemed lost reaches a person: the day the reminder after the deadline is
    due, so the customer has had it in writing first."""
    return deadline + timedelta(days=settings.EQUIPMENT_REMINDER_DAYS_AFTER)


def check_follows_up(incident) -> None:
    """Only an overdue return the terms do not deem lost, its unit still out and not recorded lost, is followed
    up: the customer's answer recorded, or the unit recorded lost."""
    if incident.kind != IncidentKind.NOT_RETURNED:
        raise InvalidTransition(_("Only an overdue return is followed up."))
    if deemed_lost(incident.ground):
        raise RuleRefusal(
            _(
                "A unit not returned within 30 days after its contract ended is deemed lost (Managed Router art. 9 "
                "¶2): assess its loss charge."
            )
        )
    if incident.recorded_lost_on:
        raise InvalidTransition(_("This unit is already recorded lost."))
    if incident.unit.status != UnitState.NOT_RETURNED or incident.unit.return_deadline != incident.return_deadline:
        raise InvalidTransition(_("This unit's return is no longer overdue."))


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


def lost_overdue() -> Q:
    """Overdue returns that are losses: deemed so by the terms (Managed Router art. 9 ¶2) or recorded so by staff."""
    return Q(kind=IncidentKind.NOT_RETURNED) & (Q(ground__in=DEEMED_LOST) | Q(recorded_lost_on__isnull=False))


def chargeable() -> Q:
    """The incidents that call for a charge, as ``charge_kind`` decides them one by one (the assessment worklist)."""
    return (
        Q(kind=IncidentKind.LOSS)
        | lost_overdue()
        | Q(kind=IncidentKind.DAMAGE, option__isnull=True)
        | Q(kind=IncidentKind.FAILURE, cause__in=CHARGED_CAUSES, option__isnull=True)
    )


def charge_kind(incident) -> str:
    """The charge an incident may produce, or a refusal: a failure is charged only when the customer caused
    it or none was found (Managed Router art. 8, annex 1 3.(5)); loss and damage whatever the cause (art. 9).
    A rented ISP router carries a loss charge only (亡失負担金, ISP Platform art. 7 ¶6, 別紙1 §3 (2)): the ISP
    terms name no damage charge nor a failure handling charge. An overdue return is a loss only where the
    terms deem it (art. 9 ¶2) or once staff record the unit lost."""
    if incident.kind == IncidentKind.NOT_RETURNED and not (deemed_lost(incident.ground) or incident.recorded_lost_on):
        raise RuleRefusal(
            _(
                "An overdue return is charged as a loss only once the unit is recorded lost (%(article)s): "
                "follow it up with the customer first."
            )
            % {"article": return_article(incident.ground)}
        )
    if incident.kind == IncidentKind.FAILURE and incident.option_id:
        raise RuleRefusal(
            _("The ISP Platform terms charge no failure handling for rented routers (ISP Platform annex 1 §3).")
        )
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
