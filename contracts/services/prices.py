"""Recording a price in force from a day on (``DatedPrice``): the one way a contract's price changes after
its acceptance, for an accepted change (``changes.accept_change``) and for a later price agreement.

The row's frozen terms stay what was agreed at acceptance; the first dated price written for a row also
keeps them, with the item of that time, as the price from its acceptance (``PriceOrigin.ACCEPTANCE``), so
the schedule names the item in force on every day. Whether a day inside a closed billing month may be
priced again is billing's decision (``billing.prices``), which calls this.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition
from backoffice.moves import lock, save_audited

from ..choices import PriceOrigin
from ..models import Contract, DatedPrice
from ..prices import CONTRACT_PRICES, OPTION_PRICES, Schedule
from ..rules.fixed_fees import check_fixed_fees
from ..selectors import price_schedule


def components_of(row) -> tuple[str, ...]:
    """The price components of a contract or an option that hold from a day on."""
    return CONTRACT_PRICES if isinstance(row, Contract) else OPTION_PRICES


def _owner(row) -> dict:
    if isinstance(row, Contract):
        return {"contract": row, "option": None}
    return {"contract_id": row.contract_id, "option": row}


def _values(row, prices, names) -> dict:
    values = {name: getattr(prices, name) for name in names}
    if isinstance(row, Contract):
        values["item_id"] = prices.item_id or row.item_id
    return values


def _keep_acceptance(row, schedule: Schedule, item_id: str | None, by) -> None:
    """Write the acceptance terms as the first dated price, when none is written yet."""
    if schedule.dated:
        return
    names = components_of(row)
    base = DatedPrice(
        **_owner(row),
        valid_from=row.accepted_on,
        origin=PriceOrigin.ACCEPTANCE,
        **{name: getattr(row, name) for name in names},
        item_id=item_id if isinstance(row, Contract) else None,
    )
    save_audited(base, by=by, reason=_("Terms at acceptance kept before the first price change"))


@transaction.atomic
def record_price(
    obj,
    *,
    valid_from: date,
    origin: str,
    by=None,
    reason: str = "",
    change=None,
    item_id: str | None = None,
    previous_item_id: str | None = None,
    retroactive: bool = False,
    **amounts,
) -> DatedPrice:
    """The prices of ``obj`` from ``valid_from`` on: those in force that day with ``amounts`` (and, for a
    contract, ``item_id``) replacing theirs. ``previous_item_id`` is the item before a change saved already.
    A price already dated that day is replaced (its history keeps what it was)."""
    names = components_of(obj)
    unknown = set(amounts) - set(names)
    if unknown:
        raise ValueError(f"not a dated price component: {', '.join(sorted(unknown))}")
    row = lock(obj)
    if not row.is_live:
        raise InvalidTransition(_("Prices change only on a live, accepted contract or option."))
    if valid_from < row.accepted_on:
        raise InvalidTransition(
            _("A price cannot hold from before the contract or option was accepted (%(date)s).")
            % {"date": date_text(row.accepted_on)}
        )
    schedule = price_schedule(row)
    item_before = previous_item_id or getattr(row, "item_id", None)
    _keep_acceptance(row, schedule, item_before, by)
    in_force = _values(row, schedule.on(valid_from), names)
    if not schedule.dated and isinstance(row, Contract):
        in_force["item_id"] = item_before
    changes = {name: value for name, value in amounts.items() if value is not None}
    if item_id:
        changes["item_id"] = item_id
    price = DatedPrice.objects.filter(**_owner(row), valid_from=valid_from).first() or DatedPrice(
        **_owner(row), valid_from=valid_from
    )
    for name, value in {**in_force, **changes}.items():
        setattr(price, name, value)
    check_fixed_fees(price.item_id if isinstance(row, Contract) else row.kind_id, changes)
    price.origin, price.change, price.retroactive, price.reason = origin, change, retroactive, reason
    save_audited(price, by=by, reason=reason or PriceOrigin(origin).label)
    return price


__all__ = ["components_of", "record_price"]
