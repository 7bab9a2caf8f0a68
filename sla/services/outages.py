"""Which contracts an outage hit and the credits each would get (SPEC §8), computed for many contracts at once.

``estimate`` is the preview the admin shows before anything is saved; ``affect`` saves the picked
contracts and ``recompute`` refreshes the credits of an outage's rows when the outage or its
notifications change. Each costs a fixed number of queries whatever the number of contracts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction

from backoffice.bulk_history import insert_with_history, update_with_history
from backoffice.dates import local_day
from backoffice.moves import lock
from backoffice.signals import send_on_commit
from contracts import selectors
from contracts.selectors import SLA_SERVICES

from .. import credits, signals
from ..models import AffectedContract, FailureNotification, Outage
from .months import month_of

COMPUTED = (
    "monthly_fee",
    "availability_credit",
    "notification_credit",
    "availability_deadline",
    "notification_deadline",
)


@dataclass(frozen=True)
class Estimate:
    """What one contract gets for one outage: the credits before the cap, their deadlines, and what is
    left of them under the monthly cap after the month's earlier outages (``after_cap``)."""

    contract: object
    monthly_fee: int
    availability_credit: int
    notification_credit: int
    availability_deadline: date | None
    notification_deadline: date | None
    after_cap: int = 0


def _notifications(outage: Outage) -> tuple[dict, dict]:
    """The outage's notifications by contract and, for those covering a whole customer, by customer."""
    by_contract, by_customer = {}, {}
    for notice in FailureNotification.objects.filter(outage=outage):
        if notice.contract_id:
            by_contract[notice.contract_id] = notice
        else:
            by_customer[notice.customer_id] = notice
    return by_contract, by_customer


def _credits_of(outage: Outage, contract, fee: int, notice, *, excluded: bool = False) -> Estimate:
    """``fee``: the base monthly fee in force when the outage started; ``excluded``: the contract's own
    exclusion (the customer's breach, a suspension notified to it)."""
    if not outage.earns_credits or outage.excluded or excluded or contract.service_id not in SLA_SERVICES:
        return Estimate(contract, fee, 0, 0, None, None)
    availability = credits.availability_credit(fee, outage.duration)
    notification = notice_day = 0
    if notice is not None:
        notification = credits.notification_credit(fee, notice.detected_at, notice.notified_at)
        notice_day = local_day(notice.notified_at) if notice.notified_at else outage.ended_on
    return Estimate(
        contract,
        fee,
        availability,
        notification,
        credits.claim_deadline(outage.ended_on) if availability else None,
        credits.claim_deadline(notice_day) if notification else None,
    )


def _earlier_in_month(outage: Outage, contract_ids: list[int]) -> dict[int, list[int]]:
    """The credits (before the cap) of the month's earlier outages on these contracts, by contract.

    Outages are ordered by start, then by number: a later outage gets what is left under the cap.
    """
    first, after = month_of(outage.started_at)
    rows = (
        AffectedContract.objects.filter(
            contract_id__in=contract_ids, outage__started_at__gte=first, outage__started_at__lt=after
        )
        .exclude(outage=outage)
        .select_related("outage")
    )
    mine = (outage.started_at, outage.pk or 0)
    by_contract = defaultdict(list)
    for row in rows:
        if (row.outage.started_at, row.outage_id) < mine:
            by_contract[row.contract_id].append(row.credit_before_cap)
    return by_contract


def estimate(outage: Outage, contracts: Iterable, *, excluded: frozenset[int] = frozenset()) -> list[Estimate]:
    """The credits each of ``contracts`` would get for ``outage`` (none for the ids in ``excluded``, excluded
    on their own), nothing saved. Three queries: the credits are of the monthly fee in force on the day the
    outage started (a changed item or an agreed price counts from its day)."""
    contracts = list(contracts)
    fees = selectors.monthly_fees_on(day=outage.started_on, contracts=[c.pk for c in contracts])
    by_contract, by_customer = _notifications(outage)
    earlier = _earlier_in_month(outage, [c.pk for c in contracts])
    result = []
    for contract in contracts:
        notice = by_contract.get(contract.pk) or by_customer.get(contract.customer_id)
        own = _credits_of(outage, contract, fees[contract.pk], notice, excluded=contract.pk in excluded)
        before = earlier[contract.pk]
        total = own.availability_credit + own.notification_credit
        after_cap = credits.capped_total(own.monthly_fee, [*before, total]) - credits.capped_total(
            own.monthly_fee, before
        )
        result.append(replace(own, after_cap=after_cap))
    return result


def recorded(outage: Outage) -> None:
    """Staff saved an outage that has ended: the other apps hear it open and close once the transaction commits."""
    send_on_commit(signals.outage_opened, outage)
    send_on_commit(signals.outage_closed, outage)


@transaction.atomic
def affect(outage: Outage, contracts: Iterable, *, by) -> int:
    """Record that ``outage`` hit ``contracts`` (those not yet recorded) and compute their credits.

    Returns how many contracts were added.
    """
    outage = lock(outage)
    known = set(outage.affected.values_list("contract_id", flat=True))
    new = [AffectedContract(outage=outage, contract=c) for c in contracts if c.pk not in known]
    insert_with_history(AffectedContract, new, by=by, reason="affected by the outage")
    recompute(outage, by=by)
    return len(new)


@transaction.atomic
def recompute(outage: Outage, *, by) -> None:
    """Refresh the credits of every contract the outage hit (after a change of the outage or a notification)."""
    rows = {row.contract_id: row for row in outage.affected.select_related("contract")}
    excluded = frozenset(contract_id for contract_id, row in rows.items() if row.excluded)
    changed = []
    for figures in estimate(outage, [row.contract for row in rows.values()], excluded=excluded):
        row = rows[figures.contract.pk]
        values = {name: getattr(figures, name) for name in COMPUTED}
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if changed:
        update_with_history(AffectedContract, changed, list(COMPUTED), by=by, reason="credits recomputed")
