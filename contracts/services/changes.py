"""Accepting a change of contract or option (契約内容の変更) and its one-time fee (一時費用).

The change rules run in ``full_clean`` (see ``rules.checks``), so the admin form, this service
and the import refuse the same changes. Each changed attribute becomes a ``ContractChange`` row; the
change fee frozen on the row at its acceptance is charged once per change, on the first attribute the
annex prices (``rules.change_fees``), and arises on acceptance (SPEC §1). ``ContractChange`` rows come
from here (and from the equipment changes) only.
"""

from datetime import date

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from backoffice.display import date_text, display_value
from backoffice.exceptions import InvalidTransition
from backoffice.moves import lock, save_audited

from .. import signals
from ..choices import PriceOrigin
from ..models import CONTRACT_TRACKED, OPTION_TRACKED, ChangeKind, Contract, ContractChange
from ..rules.change_fees import change_fee, priced_fields
from ..rules.managed_router import change_restarts_minimum_period
from ..rules.queries import saved_differences
from ..selectors import price_schedule
from .dates import recompute_dates, refuse_future
from .prices import components_of, record_price

CHANGE_KIND_BY_FIELD = {
    "item_id": ChangeKind.ITEM,
    "application_type": ChangeKind.APPLICATION_TYPE,
    "route": ChangeKind.ROUTE,
    "interface": ChangeKind.INTERFACE,
    "cloud_type": ChangeKind.INTERFACE,
    "port_line": ChangeKind.INTERFACE,
    "bandwidth_gbps": ChangeKind.BANDWIDTH,
    "sessions": ChangeKind.SESSIONS,
    "line_count": ChangeKind.LINE_COUNT,
    "ipv4_port_type": ChangeKind.OPTION,
    "units": ChangeKind.OPTION,
}

#: The counted attributes whose old and new numbers a change record keeps (billing reads them by date).
COUNTED = ("line_count", "units")


def _display(field, value) -> str:
    """A value as staff read it: the choice label or the related row, not the stored code ("" for none)."""
    if value is None:
        return ""
    if field.is_relation:
        value = field.related_model._base_manager.filter(pk=value).first() or value
    return display_value(field, value)


def _shown(row, old: dict) -> dict[str, tuple[str, str, str]]:
    """``(field label, old, new)`` of each changed attribute of ``row``, as staff read them."""
    shown = {}
    for name, value in old.items():
        field = row._meta.get_field(name.removesuffix("_id"))
        shown[name] = (capfirst(field.verbose_name), _display(field, value), _display(field, getattr(row, name)))
    return shown


def check_change_date(row, on: date) -> None:
    """A change is accepted on a live row on or after its own acceptance, and not after today."""
    if on < row.accepted_on:
        raise InvalidTransition(
            _("A change cannot be accepted before the contract or option itself was accepted (%(date)s).")
            % {"date": date_text(row.accepted_on)}
        )
    refuse_future(on, _("The change"))


def record_changes(row, records: list[ContractChange], *, on: date, by) -> list[ContractChange]:
    """Save the change records of ``row`` and tell the other apps once the change is committed."""
    for record in records:
        record._history_user = by
        record.save()
    signals.send_on_commit(signals.change_accepted, row, on=on, changes=records)
    return records


def _new_prices(row, old: dict, agreed: dict) -> dict:
    """The prices a change brings from its day: a new item's catalog prices (CXM2 別紙2 2.(1), Cloud Proxy 別紙1
    2.(1), ISP Platform 別紙1 2.(1) price the monthly fee by the item), the prices agreed with it winning."""
    brought = {}
    if "item_id" in old and isinstance(row, Contract):
        brought = {name: getattr(row.item, name) for name in components_of(row)}
    return {**brought, **{name: value for name, value in agreed.items() if value is not None}}


@transaction.atomic
def accept_change(
    obj, *, on: date, by=None, note: str = "", fee: int | None = None, prices: dict | None = None, **fields
) -> list[ContractChange]:
    """Apply ``fields`` to a live contract or option as a change accepted on ``on``.

    ``fee`` overrides the change fee in force that day, charged once for the change when the annex prices
    it. A new item brings its catalog prices from ``on``; ``prices`` are prices agreed with the change
    (``DatedPrice`` components), which win. Returns the recorded changes; nothing is written when nothing
    changed or a rule refuses.
    """
    row = lock(obj)
    if not row.is_live:
        raise InvalidTransition(_("Only a live contract or option can be changed."))
    check_change_date(row, on)
    for name, value in fields.items():
        setattr(row, name, value)
    is_contract = isinstance(row, Contract)
    old = saved_differences(row, CONTRACT_TRACKED if is_contract else OPTION_TRACKED)
    if not old:
        return []
    amount = change_fee(row, old, fee, in_force=price_schedule(row).on(on).change_fee)
    charged_on = next(iter(priced_fields(row, old)), None)
    billed = row.billing_start_on is not None and on >= row.billing_start_on
    restart = billed and change_restarts_minimum_period(row)
    if restart:
        row.min_period_start_on = on
        recompute_dates(row)
    contract = row if is_contract else row.contract
    shown = _shown(row, old)
    summary = ", ".join(f"{label}: {before or '—'} → {after or '—'}" for label, before, after in shown.values())
    save_audited(row, by=by, reason=_("Change accepted: %(summary)s") % {"summary": summary})
    records = [
        ContractChange(
            contract=contract,
            option=None if is_contract else row,
            kind=CHANGE_KIND_BY_FIELD.get(name, ChangeKind.OPTION),
            accepted_on=on,
            old_value=shown[name][1],
            new_value=shown[name][2],
            attribute=name,
            old_quantity=old[name] if name in COUNTED else None,
            new_quantity=getattr(row, name) if name in COUNTED else None,
            fee=amount if name == charged_on else 0,
            restarts_min_period=restart,
            note=note,
        )
        for name in old
    ]
    record_changes(row, records, on=on, by=by)
    new_prices = _new_prices(row, old, prices or {})
    if new_prices or "item_id" in old:
        record_price(
            row,
            valid_from=on,
            origin=PriceOrigin.CHANGE,
            by=by,
            reason=_("Change accepted: %(summary)s") % {"summary": summary},
            change=records[0],
            item_id=row.item_id if "item_id" in old else None,
            previous_item_id=old.get("item_id"),
            **new_prices,
        )
    obj.refresh_from_db()
    return records


__all__ = ["CHANGE_KIND_BY_FIELD", "accept_change", "check_change_date", "record_changes"]
