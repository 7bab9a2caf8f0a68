"""Managed Router paid options (有料オプションの追加又は終了, art. 6 ¶1 (2)): adding an option to a formed contract,
or the customer's stop of one, is a change of the contract recorded with the option's change fee (annex 1 3.(1))
by the lifecycle service as it accepts or ends the option. A change of an option's attributes goes through
``changes.accept_change``, which restarts the option's period (art. 5 ¶4)."""

from datetime import date

from django.utils.translation import gettext as _

from ..models import ChangeKind, ContractChange, ContractOption
from ..rules.change_fees import option_change_fee
from ..rules.managed_router import option_added_as_change, option_end_is_change
from ..selectors import price_schedule
from .changes import record_changes


def record_option_added(option: ContractOption, *, on: date, by=None) -> ContractChange | None:
    """The change of the contract an option accepted on ``on`` is, if the rules say so (art. 6 ¶1 (2)):
    recorded with the option's change fee, once, as the lifecycle service accepts the option."""
    if not option_added_as_change(option):
        return None
    return _record_option_change(
        option, on=on, by=by, old="", new=str(option.kind), note=_("Paid option added (Managed Router art. 6 ¶1 (2))")
    )


def record_option_ended(option: ContractOption, *, on: date, reason: str, by=None) -> ContractChange | None:
    """The change of the contract the end of an option on ``on`` is, if the rules say so (the customer's
    stop, art. 6 ¶1 (2)): recorded with the option's change fee, once, as the lifecycle service ends it."""
    if not option_end_is_change(option, reason):
        return None
    return _record_option_change(
        option,
        on=on,
        by=by,
        old=str(option.kind),
        new="",
        note=_("Paid option ended at the customer's request (Managed Router art. 6 ¶1 (2))"),
    )


def _record_option_change(option, *, on: date, by, old: str, new: str, note: str) -> ContractChange:
    change = ContractChange(
        contract_id=option.contract_id,
        option=option,
        kind=ChangeKind.OPTION,
        accepted_on=on,
        old_value=old,
        new_value=new,
        fee=option_change_fee(option, in_force=price_schedule(option).on(on).change_fee),
        restarts_min_period=False,
        note=note,
    )
    record_changes(option, [change], on=on, by=by)
    return change


__all__ = ["record_option_added", "record_option_ended"]
