"""Amounts an annex fixes (0円) instead of leaving them to "an amount we separately show" (当社が別途契約者に示す金額).

Most prices of the five annexes are whatever we agree with the customer; these few are written into the
annex itself, so no list price, agreed price or override may differ from them:

- CXM2 別紙2 1.(2) and 2.(2): the firewall integration option (ファイアウォール連携オプション), initial and
  monthly fee 0円;
- Cloud Proxy 別紙1 1.(2): the initial fee of the access control option (アクセス制御オプション) and of the
  destination-list update API option (宛先リスト更新APIオプション), 0円;
- Cloud Proxy 別紙1 2.(2): the monthly fee of the initial setup option (初期設定代行オプション), 0円;
- ISP Platform 別紙1 2.(1) (ii): the line maintenance fee of IPoE 帯域制限, 0円; (iii): the bandwidth fee of
  IPoE and IPoE 帯域共有, 0円.

``check_fixed_fees`` is the one check: the catalog (``Item``/``OptionKind.clean``), acceptance and the override
of frozen terms (``services.lifecycle``, so the admin and the import alike) and price agreements call it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import yen
from backoffice.exceptions import RuleRefusal

from ..catalog_data import ITEMS, OPTIONS
from ..models.catalog import localized


@dataclass(frozen=True)
class FixedFee:
    """An amount in yen the annex sets, and where it sets it."""

    amount: int
    article: Promise


CXM2_INITIAL = gettext_lazy("CXM2 annex 2 1.(2)")
CXM2_MONTHLY = gettext_lazy("CXM2 annex 2 2.(2)")
CLOUD_PROXY_INITIAL = gettext_lazy("Cloud Proxy annex 1 1.(2)")
CLOUD_PROXY_MONTHLY = gettext_lazy("Cloud Proxy annex 1 2.(2)")
ISP_LINE_MAINTENANCE = gettext_lazy("ISP Platform annex 1 2.(1) (ii)")
ISP_BANDWIDTH = gettext_lazy("ISP Platform annex 1 2.(1) (iii)")

#: Per catalog entry (``OptionKind.code`` or ``Item.code``), the fee fields the annex fixes.
FIXED_FEES: dict[str, dict[str, FixedFee]] = {
    "cxm2.firewall": {"initial_fee": FixedFee(0, CXM2_INITIAL), "monthly_fee": FixedFee(0, CXM2_MONTHLY)},
    "cloud_proxy.access_control": {"initial_fee": FixedFee(0, CLOUD_PROXY_INITIAL)},
    "cloud_proxy.list_update_api": {"initial_fee": FixedFee(0, CLOUD_PROXY_INITIAL)},
    "cloud_proxy.initial_setup": {"monthly_fee": FixedFee(0, CLOUD_PROXY_MONTHLY)},
    "isp_platform.ipoe": {"bandwidth_fee": FixedFee(0, ISP_BANDWIDTH)},
    "isp_platform.ipoe_shared": {"bandwidth_fee": FixedFee(0, ISP_BANDWIDTH)},
    "isp_platform.ipoe_limited": {"line_fee": FixedFee(0, ISP_LINE_MAINTENANCE)},
}

#: How the messages name each fee.
FEE_NAMES = {
    "initial_fee": gettext_lazy("initial fee"),
    "monthly_fee": gettext_lazy("monthly fee"),
    "line_fee": gettext_lazy("line maintenance fee"),
    "bandwidth_fee": gettext_lazy("bandwidth fee"),
}

#: The catalog's Japanese and English names of each entry, as ``catalog_data`` publishes them.
_NAMES = {row[1]: (row[2], row[3]) for row in ITEMS} | {row[1]: (row[2], row[3]) for row in OPTIONS}


def _entry_name(entry_id: str) -> str:
    return localized(*_NAMES.get(entry_id, (entry_id, entry_id)))


def fixed_fees(entry_id: str) -> dict[str, FixedFee]:
    """The fee fields of catalog entry ``entry_id`` that its annex fixes (empty when it fixes none)."""
    return FIXED_FEES.get(str(entry_id), {})


def check_fixed_fees(entry_id: str, amounts: dict[str, int | None]) -> None:
    """Refuse, field by field, any of ``amounts`` (fee field → yen; ``None``: not given) that differs from
    the amount the annex fixes for catalog entry ``entry_id``; fields the annex leaves open are not checked."""
    errors = {}
    for name, fixed in fixed_fees(entry_id).items():
        amount = amounts.get(name)
        if amount is None or amount == fixed.amount:
            continue
        errors[name] = _("%(entry)s: the %(fee)s is %(fixed)s under %(article)s, not %(amount)s.") % {
            "entry": _entry_name(entry_id),
            "fee": FEE_NAMES[name],
            "fixed": yen(fixed.amount),
            "article": fixed.article,
            "amount": yen(amount),
        }
    if errors:
        raise RuleRefusal(errors)


def check_listed_fees(entry) -> None:
    """A catalog entry (``Item``, ``OptionKind``) lists no other amount than its annex fixes; run from its
    ``clean()``."""
    fees = [field.attname for field in entry._meta.concrete_fields if field.attname.endswith("_fee")]
    check_fixed_fees(entry.pk, {name: getattr(entry, name) for name in fees})


__all__ = ["FIXED_FEES", "FixedFee", "check_fixed_fees", "check_listed_fees", "fixed_fees"]
