"""Changing the bandwidth per area of a live ISP Platform contract (IPoE bandwidth-limited, art. 1) as a dated change.

Billing reads the bandwidth in force on a day from the change records (``selectors``), not from the
areas as they stand, so an area edit of an accepted contract is recorded like a line-count change:
one ``ContractChange`` per area changed, its typed counts the contract's total Mbps before and after,
accepted on a day. No fee: ISP Platform 別紙1 §3 (1) prices only the item change. A change dated before
a later one already recorded would rewrite what that one says was in force, so it is refused.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition
from backoffice.moves import lock

from ..choices import Area, Status
from ..models import BANDWIDTH_ATTRIBUTE, BandwidthArea, ChangeKind, Contract, ContractChange
from ..rules.isp_platform import require_areas
from .changes import check_change_date, record_changes


def dated_change_needed(contract: Contract) -> bool:
    """An accepted contract's areas are billed by day in force: they change only as a dated change.
    Before acceptance nothing is billed from them, and they are edited as they are."""
    return contract.status != Status.APPLIED


def check_area_change(contract: Contract, on: date) -> None:
    """A live contract, a day it was live on and not after today, and no later area change already recorded."""
    if not contract.is_live:
        raise InvalidTransition(_("Only a live contract or option can be changed."))
    check_change_date(contract, on)
    later = ContractChange.objects.filter(contract=contract, attribute=BANDWIDTH_ATTRIBUTE, accepted_on__gt=on)
    if last := later.order_by("-accepted_on").values_list("accepted_on", flat=True).first():
        raise InvalidTransition(
            _(
                "The bandwidth per area was already changed on %(later)s: a change accepted on %(date)s would "
                "rewrite what was in force since then. Record it on or after %(later)s."
            )
            % {"later": date_text(last), "date": date_text(on)}
        )


def _shown(area: str, mbps: int | None) -> str:
    return "" if mbps is None else f"{Area(area).label} {mbps} Mbps"


@transaction.atomic
def change_areas(
    contract: Contract, *, limits: dict[str, int], on: date, by=None, note: str = ""
) -> list[ContractChange]:
    """Make the contract's areas ``limits`` (area → Mbps; an area left out is removed) as a change accepted on ``on``.

    Returns the change records, one per area changed (none when nothing changed). Each area row is
    validated (units of 100 Mbps) and at least one stays (art. 1).
    """
    row = lock(contract)
    check_area_change(row, on)
    current = dict(BandwidthArea.objects.filter(contract=row).values_list("area", "mbps"))
    require_areas(row, len(limits))
    total = sum(current.values())
    records = []
    for area in Area.values:
        old, new = current.get(area), limits.get(area)
        if old == new:
            continue
        if new is None:
            area_row = BandwidthArea.objects.get(contract=row, area=area)
            area_row._history_user = by
            area_row.delete()
        else:
            area_row = BandwidthArea.objects.filter(contract=row, area=area).first() or BandwidthArea(
                contract=row, area=area
            )
            area_row.mbps = new
            area_row.full_clean()
            area_row._history_user = by
            area_row.save()
        before, total = total, total - (old or 0) + (new or 0)
        records.append(
            ContractChange(
                contract=row,
                kind=ChangeKind.BANDWIDTH,
                accepted_on=on,
                old_value=_shown(area, old),
                new_value=_shown(area, new),
                attribute=BANDWIDTH_ATTRIBUTE,
                old_quantity=before,
                new_quantity=total,
                note=note,
            )
        )
    return record_changes(row, records, on=on, by=by) if records else []


__all__ = ["change_areas", "check_area_change", "dated_change_needed"]
