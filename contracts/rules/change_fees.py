"""Which accepted changes carry the change fee (一時費用), as each service's annex prices them.

The annexes price a change, not each attribute it touches, and only the changes they name:
- CXM2 別紙2 §3: a change of art. 6 (item, application type, route);
- Cloud Proxy 別紙1 §3: a change of the cloud bypass item under art. 9;
- Smart HUB 別紙2 §3 (1): the item change of the PBB bandwidth expansion option, nothing else (its
  ports and session options have no fee);
- Managed Router 別紙1 §3 (1): every change of art. 6 (equipment, options), the addition and the end of an
  option included (``option_change_fee``);
- ISP Platform 別紙1 §3 (1): the item change of art. 6 ¶1 (1), "一回の変更につき" (once per change); a
  change of the line count (art. 6 ¶1 (2)) or of the building type has no fee.

A change request that alters several priced attributes is charged once.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.exceptions import RuleRefusal

from ..choices import ServiceCode
from ..models import Contract

#: Every tracked attribute of the row, or every option kind of the service.
ANY = "*"

#: Per service, the priced changes: the contract's attributes (key ``None``), an option kind's, or any option's.
PRICED_CHANGES: dict[str, dict[str | None, frozenset[str]]] = {
    ServiceCode.CXM2: {None: frozenset({"item_id", "application_type", "route"})},
    ServiceCode.CLOUD_PROXY: {None: frozenset({"item_id"})},
    ServiceCode.SMART_HUB: {"smart_hub.pbb_bandwidth": frozenset({"bandwidth_gbps"})},
    ServiceCode.MANAGED_ROUTER: {ANY: frozenset({ANY})},
    ServiceCode.ISP_PLATFORM: {None: frozenset({"item_id"})},
}

#: Where each service's annex names its change fee, for the messages.
FEE_ARTICLE = {
    ServiceCode.CXM2: gettext_lazy("CXM2 annex 2 §3"),
    ServiceCode.CLOUD_PROXY: gettext_lazy("Cloud Proxy annex 1 §3"),
    ServiceCode.SMART_HUB: gettext_lazy("Smart HUB annex 2 §3"),
    ServiceCode.MANAGED_ROUTER: gettext_lazy("Managed Router annex 1 §3"),
    ServiceCode.ISP_PLATFORM: gettext_lazy("ISP Platform annex 1 §3"),
}


def priced_fields(row, changed: Iterable[str]) -> list[str]:
    """The attributes among ``changed`` (tracked names, e.g. ``item_id``) whose change the annex prices."""
    contract = row if isinstance(row, Contract) else row.contract
    table = PRICED_CHANGES.get(contract.service_id, {})
    priced = table.get(None, frozenset()) if row is contract else table.get(row.kind_id, table.get(ANY, frozenset()))
    return [name for name in changed if ANY in priced or name in priced]


def change_fee(row, changed: Iterable[str], fee: int | None = None, *, in_force: int) -> int:
    """The one fee of an accepted change of ``row``: ``in_force`` (the change fee in force on the change's day),
    or ``fee`` when given, once per change when the annex prices one of ``changed``, else nothing; a fee given
    for an unpriced change is refused.
    """
    if priced_fields(row, changed):
        return in_force if fee is None else fee
    if fee:
        contract = row if isinstance(row, Contract) else row.contract
        raise RuleRefusal(
            _("This change has no fee: the annex prices other changes only (%(article)s).")
            % {"article": FEE_ARTICLE[contract.service_id]}
        )
    return 0


def option_change_fee(option, *, in_force: int) -> int:
    """The fee of adding or ending ``option`` where the annex prices it as a change (Managed Router 別紙1
    3.(1), art. 6 ¶1 (2)): the option's own change fee in force that day (``in_force``), the amount shown for
    its kind, as for a change of the option's attributes (docs/decisions.md)."""
    return change_fee(option, [ANY], in_force=in_force)
