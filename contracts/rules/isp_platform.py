"""Rules of ISP Platform Service, SPEC §6.

Decision on the transitional provision (附則 2024-12-01 ¶2): bandwidth-limited contracts formed
(accepted) on or before 2024-11-30 "continue with the same content". The 2024-12-01 terms describe
the limit per area (art. 1 notes), so such contracts are exempt from the per-area rules that a new
bandwidth-limited contract must meet: at least one area, and no line count. The 100 Mbps unit stays
enforced for every area row, because the database refuses any other value anyway.
"""

from datetime import date

from django.utils.translation import gettext as _

from ..choices import BuildingType, ServiceCode, Status
from .hooks import contract_change_rule, contract_rule, option_rule, refuse

IPOE, IPOE_SHARED, IPOE_LIMITED = "isp_platform.ipoe", "isp_platform.ipoe_shared", "isp_platform.ipoe_limited"
ROUTER_RENTAL = "isp_platform.router_rental"
PORT_EXPANSION = "isp_platform.ipv4_port_expansion"
FIXED_IP = "isp_platform.ipv4_fixed_ip"

#: Items billed by line count, for detached houses (art. 1, art. 5 ¶5, art. 6 (2)).
LINE_ITEMS = (IPOE, IPOE_SHARED)
#: Options that need item IPoE or IPoE bandwidth-limited (art. 4 ¶2), and the items they allow.
NEEDS_IPOE_OR_LIMITED = (ROUTER_RENTAL, PORT_EXPANSION, FIXED_IP)
ITEMS_FOR_THOSE_OPTIONS = (IPOE, IPOE_LIMITED)
#: Bandwidth-limited contracts formed before this day continue unchanged (附則 2024-12-01 ¶2).
PER_AREA_TERMS_FROM = date(2024, 12, 1)
MBPS_UNIT = 100


def formed_under_old_terms(contract) -> bool:
    """A bandwidth-limited contract accepted before 2024-12-01 (附則 2024-12-01 ¶2)."""
    return (
        contract.item_id == IPOE_LIMITED and bool(contract.accepted_on) and contract.accepted_on < PER_AREA_TERMS_FROM
    )


@contract_rule(ServiceCode.ISP_PLATFORM)
def corporate_customers_only(contract):
    """Only a corporate customer (法人), or one we recognise as equivalent, may hold the service (art. 4 ¶1)."""
    if contract.customer_id and not contract.customer.counts_as_corporate:
        refuse(
            _(
                "ISP Platform is available to corporate customers, and those recognised as equivalent, only "
                "(ISP Platform art. 4)."
            ),
            "customer",
        )


@contract_rule(ServiceCode.ISP_PLATFORM)
def line_items_not_for_apartments(contract):
    """IPoE and IPoE shared bandwidth may not be used for apartment buildings (art. 5 ¶5)."""
    if contract.item_id in LINE_ITEMS and contract.building_type == BuildingType.APARTMENT:
        refuse(
            _("IPoE and IPoE shared bandwidth may not be used for apartment buildings (ISP Platform art. 5 ¶5)."),
            "building_type",
        )


@contract_rule(ServiceCode.ISP_PLATFORM)
def shared_bandwidth_needs_consents(contract):
    """IPoE shared bandwidth needs the customer's and the end users' consent to bandwidth control (art. 5 ¶6)."""
    if contract.item_id != IPOE_SHARED:
        return
    for field in ("bandwidth_consent_on", "end_user_consent_on"):
        if not getattr(contract, field):
            refuse(
                _(
                    "IPoE shared bandwidth needs the customer's consent to the bandwidth-control conditions and "
                    "the end users' clear consent, both recorded (ISP Platform art. 5 ¶6)."
                ),
                field,
            )


@contract_rule(ServiceCode.ISP_PLATFORM)
def line_count_only_for_line_items(contract):
    """IPoE and IPoE shared are billed by line count; bandwidth-limited by bandwidth (art. 1)."""
    if contract.item_id in LINE_ITEMS and not contract.line_count:
        refuse(_("IPoE and IPoE shared bandwidth need a line count (ISP Platform art. 1)."), "line_count")
    if contract.item_id == IPOE_LIMITED and contract.line_count is not None and not formed_under_old_terms(contract):
        refuse(
            _("IPoE bandwidth-limited is billed by bandwidth and has no line count (ISP Platform art. 1)."),
            "line_count",
        )


def require_areas(contract, count: int) -> None:
    """An accepted bandwidth-limited contract sets its limit for at least ``count`` ≥ 1 area (art. 1 note 1).

    Checked from acceptance on: the areas are entered with the application, after the contract row.
    The admin's area inline calls it with the areas that remain after its edit.
    """
    if contract.item_id != IPOE_LIMITED or contract.status == Status.APPLIED or formed_under_old_terms(contract):
        return
    if count < 1:
        refuse(_("IPoE bandwidth-limited needs an upper limit for at least one area (ISP Platform art. 1)."))


@contract_rule(ServiceCode.ISP_PLATFORM)
def limited_has_areas(contract):
    if contract.item_id == IPOE_LIMITED:
        require_areas(contract, contract.bandwidth_areas.count() if contract.pk else 0)


def check_bandwidth_area(area) -> None:
    """An area limit belongs to an ISP Platform contract and is set in units of 100 Mbps (art. 1 note 1).

    Run from ``BandwidthArea.clean()`` (a guard, added in ``ContractsConfig.ready()``).
    """
    if area.contract_id and area.contract.service_id != ServiceCode.ISP_PLATFORM:
        refuse(_("Bandwidth per area belongs to ISP Platform contracts only (ISP Platform art. 1)."), "contract")
    if area.mbps is not None and (area.mbps <= 0 or area.mbps % MBPS_UNIT):
        refuse(_("The upper limit is set in units of 100 Mbps (ISP Platform art. 1)."), "mbps")


@option_rule(ServiceCode.ISP_PLATFORM)
def option_needs_ipoe_or_limited(option):
    """Router rental, IPv4 port expansion and IPv4 fixed IP need item IPoE or IPoE bandwidth-limited (art. 4 ¶2)."""
    if option.kind_id in NEEDS_IPOE_OR_LIMITED and option.contract.item_id not in ITEMS_FOR_THOSE_OPTIONS:
        refuse(
            _("%(option)s requires item IPoE or IPoE bandwidth-limited (ISP Platform art. 4 ¶2).")
            % {"option": option.kind},
            "kind",
        )


@option_rule(ServiceCode.ISP_PLATFORM)
def port_type_only_for_port_expansion(option):
    """IPv4 port expansion comes in types 12800 and 64000; no other option has a type (art. 7 ¶2 (2))."""
    if option.kind_id == PORT_EXPANSION and not option.ipv4_port_type:
        refuse(_("Choose the IPv4 port expansion type, 12800 or 64000 (ISP Platform art. 7 ¶2)."), "ipv4_port_type")
    if option.kind_id != PORT_EXPANSION and option.ipv4_port_type:
        refuse(_("Only IPv4 port expansion has a port type (ISP Platform art. 7 ¶2)."), "ipv4_port_type")


@option_rule(ServiceCode.ISP_PLATFORM)
def units_only_for_router_rental(option):
    """Only router rental is counted per unit (art. 7 ¶2 (1), annex 1 3.(2)(3))."""
    if option.kind_id != ROUTER_RENTAL and option.units != 1:
        refuse(_("Only router rental can have more than one unit (ISP Platform art. 7)."), "units")


@contract_change_rule(ServiceCode.ISP_PLATFORM)
def line_count_changes_only_for_line_items(contract, old):
    """The line count may be changed for IPoE and IPoE shared only (art. 6 (2))."""
    if "line_count" in old and "item_id" not in old and contract.item_id not in LINE_ITEMS:
        refuse(
            _("The line count can be changed only for IPoE and IPoE shared bandwidth (ISP Platform art. 6)."),
            "line_count",
        )


@contract_change_rule(ServiceCode.ISP_PLATFORM)
def item_change_keeps_options_allowed(contract, old):
    """A new item (art. 6 (1)) must still allow every live option (art. 4 ¶2)."""
    if "item_id" not in old or contract.item_id in ITEMS_FOR_THOSE_OPTIONS:
        return
    blocking = contract.options.live().filter(kind_id__in=NEEDS_IPOE_OR_LIMITED).select_related("kind")
    if blocking:
        refuse(
            _(
                "Item %(item)s does not allow the live options %(options)s; stop them first "
                "(ISP Platform art. 4 ¶2, art. 6)."
            )
            % {"item": contract.item, "options": ", ".join(str(o.kind) for o in blocking)},
            "item",
        )
