"""Accepting a change of contract or option (契約内容の変更) and its one-time fee (一時費用).

The change rules run in ``full_clean`` (see ``rules.registry``), so the admin form, this service
and the import refuse the same changes. Each changed attribute becomes a ``ContractChange`` row
carrying the catalog's change fee, which arises on acceptance (SPEC §1).
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.exceptions import InvalidTransition
from backoffice.moves import lock, save_audited

from ..models import ChangeKind, Contract, ContractChange
from ..rules.registry import CONTRACT_TRACKED, OPTION_TRACKED, change_restarts_minimum_period, saved_differences
from .lifecycle import recompute_dates

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


def _display(row, attname: str, value) -> str:
    """A value as staff read it: the choice label or the related row, not the stored code."""
    if value is None:
        return ""
    field = row._meta.get_field(attname.removesuffix("_id"))
    if field.is_relation:
        return str(field.related_model._base_manager.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


@transaction.atomic
def accept_change(obj, *, on: date, by=None, note: str = "", fee: int | None = None, **fields) -> list[ContractChange]:
    """Apply ``fields`` to a live contract or option as a change accepted on ``on``.

    ``fee`` overrides the catalog change fee (charged once per changed attribute). Returns the
    recorded changes; nothing is written when nothing changed or a rule refuses.
    """
    row = lock(obj)
    if not row.is_live:
        raise InvalidTransition(_("Only a live contract or option can be changed."))
    for name, value in fields.items():
        setattr(row, name, value)
    is_contract = isinstance(row, Contract)
    old = saved_differences(row, CONTRACT_TRACKED if is_contract else OPTION_TRACKED)
    if not old:
        return []
    service = row.service_id if is_contract else row.contract.service_id
    restart = change_restarts_minimum_period(row, service, old) and row.billing_start_on is not None
    if restart:
        row.min_period_start_on = on
        recompute_dates(row)
    catalog_fee = row.item.change_fee if is_contract else row.kind.change_fee
    contract = row if is_contract else row.contract
    summary = ", ".join(f"{name.removesuffix('_id')}: {old[name]} → {getattr(row, name)}" for name in old)
    save_audited(row, by=by, reason=_("Change accepted: %(summary)s") % {"summary": summary})
    records = [
        ContractChange(
            contract=contract,
            option=None if is_contract else row,
            kind=CHANGE_KIND_BY_FIELD.get(name, ChangeKind.OPTION),
            accepted_on=on,
            old_value=_display(row, name, value),
            new_value=_display(row, name, getattr(row, name)),
            fee=catalog_fee if fee is None else fee,
            restarts_min_period=restart,
            note=note,
        )
        for name, value in old.items()
    ]
    for record in records:
        record._history_user = by
        record.save()
    obj.refresh_from_db()
    return records


__all__ = ["CHANGE_KIND_BY_FIELD", "accept_change"]
