"""Managed Router changes of the contract (契約内容の変更, art. 6 ¶1) that no attribute of the row records.

- Equipment (ルータ等機器の追加又は変更, art. 6 ¶1 (1)): units are tracked elsewhere; this records the
  accepted change, its one-time fee (annex 1 3.(1)) and restarts the contract's 1-year minimum period from
  that day (art. 5 ¶3). The equipment installed up to the billing start is the delivery we owe (art. 3),
  not a change. A legacy contract (附則 2005-05-01 ¶6) keeps its old start date until such a change.
- Paid options (有料オプションの追加又は終了, art. 6 ¶1 (2)) are recorded by the lifecycle service as it accepts
  or ends the option (``option_changes``).
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.exceptions import InvalidTransition, RuleRefusal
from backoffice.moves import lock

from ..choices import ServiceCode
from ..models import ChangeKind, Contract, ContractChange
from ..rules.managed_router import is_delivery
from ..selectors import price_schedule
from .changes import check_change_date, record_changes
from .lifecycle import restart_minimum_period


@transaction.atomic
def record_equipment_change(contract: Contract, *, on: date, by=None, fee: int | None = None, note: str = ""):
    """Record an equipment addition or change accepted on ``on``; returns the ``ContractChange``.

    ``fee`` overrides the change fee frozen on the contract. Up to the billing start the equipment installed
    is the delivery (art. 3): refused, there is no change to record, no fee and no period to restart.
    """
    row = lock(contract)
    if row.service_id != ServiceCode.MANAGED_ROUTER:
        raise InvalidTransition(_("Equipment changes are recorded for managed router contracts only."))
    if not row.is_live:
        raise RuleRefusal(_("Only a live contract can have its equipment changed (Managed Router art. 6)."))
    check_change_date(row, on)
    if is_delivery(row, on):
        raise RuleRefusal(
            _(
                "Equipment installed up to the billing start is the delivery owed under Managed Router art. 3, "
                "not a change of the contract (art. 6 ¶1 (1)): no change fee, no restart of the minimum period."
            )
        )
    change = ContractChange(
        contract=row,
        kind=ChangeKind.EQUIPMENT,
        accepted_on=on,
        fee=price_schedule(row).on(on).change_fee if fee is None else fee,
        restarts_min_period=True,
        note=note,
    )
    record_changes(row, [change], on=on, by=by)
    restart_minimum_period(
        row, on=on, by=by, reason=_("Equipment changed: minimum period restarts (Managed Router art. 5 ¶3)")
    )
    contract.refresh_from_db()
    return change


__all__ = ["record_equipment_change"]
