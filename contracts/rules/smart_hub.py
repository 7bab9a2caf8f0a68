"""Rules of Smart HUB, SPEC §4.

Prerequisites count only live contracts and options (``LIVE_STATUSES``); the Private Backbone
contract counts when live on the day the Smart HUB is formed: its acceptance date, or its
application date while it is still an application. When the customer's last PBB ends, the
Smart HUB ends with it (art. 6 ¶2, below), so a later notice is never refused for that reason.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text
from customers.choices import RelatedKind

from ..choices import LIVE_STATUSES, OPEN_STATUSES, CloudType, Interface, ServiceCode, Status
from ..models import Contract, ContractOption
from .hooks import (
    contract_change_rule,
    contract_rule,
    option_change_rule,
    option_end_guard,
    option_rule,
    refuse,
)
from .queries import enters_status, formed_on, keeps_another, lives_after

ONPREM_PORT = "smart_hub.onprem_port"
CLOUD_PORT = "smart_hub.cloud_port"
NAPT = "smart_hub.napt"
FIREWALL = "smart_hub.firewall"
STATIC_NAT = "smart_hub.static_nat"
PBB_BANDWIDTH = "smart_hub.pbb_bandwidth"
PORTS = (ONPREM_PORT, CLOUD_PORT)

#: Option attributes and the kinds they belong to (art. 4 ¶2); every other kind leaves them empty.
ATTRIBUTES = {
    "port_line": (ONPREM_PORT,),
    "cloud_type": (CLOUD_PORT,),
    "interface": (ONPREM_PORT, CLOUD_PORT),
    "sessions": (NAPT, FIREWALL),
    "bandwidth_gbps": (PBB_BANDWIDTH,),
    "ipv4_port_type": (),
}
#: The items each kind offers (art. 4 ¶2): allowed values of its numeric attribute.
SESSIONS = {
    NAPT: (30_000, 60_000, 120_000, 240_000, 480_000),
    FIREWALL: (500_000, 1_000_000, 2_000_000, 3_000_000, 4_000_000),
}
BANDWIDTHS_GBPS = (5, 10)
ONPREM_INTERFACES = (Interface.GBE1, Interface.GBE10)
_AM_INTERFACES = (Interface.GBE1, Interface.GBE2, Interface.GBE5, Interface.GBE10)
CLOUD_INTERFACES = {
    CloudType.A_PRIVATE: _AM_INTERFACES,
    CloudType.A_PUBLIC: _AM_INTERFACES,
    CloudType.M_PRIVATE: _AM_INTERFACES,
    CloudType.M_PUBLIC: _AM_INTERFACES,
    CloudType.M2_PUBLIC: tuple(Interface),
}
PUBLIC_CLOUDS = (CloudType.A_PUBLIC, CloudType.M_PUBLIC, CloudType.M2_PUBLIC)
PRIVATE_CLOUDS = (CloudType.A_PRIVATE, CloudType.M_PRIVATE)
#: Art. 2 ¶2–¶4: the cloud port types each kind needs on the same contract, with the article.
NEEDS_CLOUD_PORT = {
    NAPT: (PUBLIC_CLOUDS, gettext_lazy("Smart HUB art. 2 ¶2")),
    FIREWALL: (PRIVATE_CLOUDS, gettext_lazy("Smart HUB art. 2 ¶3")),
    STATIC_NAT: (PUBLIC_CLOUDS, gettext_lazy("Smart HUB art. 2 ¶4")),
}
#: Art. 4 ¶4: a Type M2:Public port may only speed up, within this range.
M2_UPGRADE_RANGE = (Interface.MBE100, Interface.MBE300, Interface.MBE500, Interface.GBE1)


def _labels(values) -> str:
    return ", ".join(str(v.label if hasattr(v, "label") else f"{v:,}") for v in values)


# --- the contract -------------------------------------------------------------------------------


@contract_rule(ServiceCode.SMART_HUB)
def private_backbone_of_the_closed_network(contract):
    """A Smart HUB needs a live Private Backbone contract of the customer (art. 2) and serves its
    closed network (art. 3); ``Contract.clean`` copies the closed network from the PBB when left empty.
    """
    pbb = contract.related_contract
    if pbb is None or pbb.kind != RelatedKind.PBB or pbb.customer_id != contract.customer_id:
        refuse(
            _("Smart HUB requires a Private Backbone contract of the same customer (Smart HUB art. 2)."),
            "related_contract",
        )
    day = formed_on(contract)
    if day and not pbb.in_force_on(day):
        refuse(
            _("The Private Backbone contract is not in force on %(day)s (Smart HUB art. 2).") % {"day": date_text(day)},
            "related_contract",
        )
    if contract.closed_network != pbb.closed_network:
        refuse(
            _("The closed network must be that of the Private Backbone contract, %(cn)s (Smart HUB art. 3).")
            % {"cn": pbb.closed_network},
            "closed_network",
        )


@contract_rule(ServiceCode.SMART_HUB)
def one_per_closed_network(contract):
    """One Smart HUB contract per closed network (art. 3); the database constraint backs this message."""
    if not contract.closed_network:
        return
    taken = (
        Contract.objects.of_service(ServiceCode.SMART_HUB)
        .filter(closed_network=contract.closed_network, status__in=OPEN_STATUSES)
        .exclude(pk=contract.pk)
    )
    if taken.exists():
        refuse(
            _("A closed network can have only one Smart HUB contract (Smart HUB art. 3)."),
            "closed_network",
        )


@contract_rule(ServiceCode.SMART_HUB)
def in_use_with_a_port(contract):
    """A Smart HUB in use holds an on-premises or cloud port option (art. 4 ¶1); checked when
    billing starts, after which the end rule for ports keeps one in place.
    """
    if not enters_status(contract, Status.ACTIVE):
        return
    if not ContractOption.objects.live().filter(contract=contract, kind_id__in=PORTS).exists():
        refuse(_("Smart HUB needs an on-premises or cloud port option before it is in use (Smart HUB art. 4 ¶1)."))


@contract_change_rule(ServiceCode.SMART_HUB)
def closed_network_never_changes(contract, old):
    """The contract is the one of its closed network (art. 3); another closed network is another contract."""
    if old.get("closed_network"):
        refuse(_("The closed network of a Smart HUB contract cannot change (Smart HUB art. 3)."), "closed_network")


def smart_hubs_end_with_the_last_private_backbone(related, on) -> list[Contract]:
    """When all the customer's PBB contracts have ended, its Smart HUB contracts end too (art. 6 ¶2).
    A cascade (``cascades``)."""
    if keeps_another(related, on):
        return []
    return list(Contract.objects.of_service(ServiceCode.SMART_HUB).live().filter(customer_id=related.customer_id))


# --- options --------------------------------------------------------------------------------------


@option_rule(ServiceCode.SMART_HUB)
def attributes_of_the_kind(option):
    """Each option carries exactly the attributes of its kind (art. 4 ¶2)."""
    for name, kinds in ATTRIBUTES.items():
        value = getattr(option, name)
        names = {"option": option.kind, "field": ContractOption._meta.get_field(name).verbose_name}
        if option.kind_id in kinds and value is None:
            refuse(_("%(option)s needs its %(field)s (Smart HUB art. 4 ¶2).") % names, name)
        if option.kind_id not in kinds and value is not None:
            refuse(_("%(option)s has no %(field)s; leave it empty (Smart HUB art. 4 ¶2).") % names, name)


@option_rule(ServiceCode.SMART_HUB)
def item_offered_for_the_kind(option):
    """Interfaces, sessions and bandwidths are those the terms list for each kind (art. 4 ¶2)."""
    kind = option.kind_id
    if kind == ONPREM_PORT:
        field, allowed = "interface", ONPREM_INTERFACES
    elif kind == CLOUD_PORT and option.cloud_type:
        field, allowed = "interface", CLOUD_INTERFACES[option.cloud_type]
    elif kind in SESSIONS:
        field, allowed = "sessions", SESSIONS[kind]
    elif kind == PBB_BANDWIDTH:
        field, allowed = "bandwidth_gbps", BANDWIDTHS_GBPS
    else:
        return
    value = getattr(option, field)
    if value is not None and value not in allowed:
        refuse(_("Choose one of: %(allowed)s (Smart HUB art. 4 ¶2).") % {"allowed": _labels(allowed)}, field)


@option_rule(ServiceCode.SMART_HUB)
def cloud_port_of_the_needed_type(option):
    """NAPT and static NAT need a public cloud port, the firewall a private one, on the same contract (art. 2 ¶2–¶4)."""
    if option.kind_id not in NEEDS_CLOUD_PORT:
        return
    types, article = NEEDS_CLOUD_PORT[option.kind_id]
    ports = ContractOption.objects.filter(
        contract_id=option.contract_id, kind_id=CLOUD_PORT, cloud_type__in=types, status__in=OPEN_STATUSES
    )
    statuses = set(ports.values_list("status", flat=True))
    if not statuses.isdisjoint(LIVE_STATUSES):
        return
    names = {"option": option.kind, "types": _labels(types), "article": article}
    if statuses:
        refuse(
            _(
                "%(option)s requires an accepted cloud port option of %(types)s; the one on this contract "
                "is not accepted yet: accept it first (%(article)s)."
            )
            % names,
            "kind",
        )
    refuse(_("%(option)s requires a cloud port option of %(types)s on this contract (%(article)s).") % names, "kind")


@option_change_rule(ServiceCode.SMART_HUB)
def port_changes_only_as_the_terms_allow(option, old):
    """Only a Type M2:Public port may change its interface, and only upward within 100MbE–1GbE (art. 4 ¶4);
    a port's line or connected cloud never changes (stop it and apply anew).

    NAPT and firewall sessions and the PBB bandwidth are items of their option and may change (art. 4 ¶5).
    """
    for name in ("port_line", "cloud_type"):
        if name in old:
            refuse(_("This cannot be changed; stop the port and apply for a new one (Smart HUB art. 4 ¶2)."), name)
    if "interface" not in old:
        return
    before, after = old["interface"], option.interface
    upward_in_range = (
        before in M2_UPGRADE_RANGE
        and after in M2_UPGRADE_RANGE
        and M2_UPGRADE_RANGE.index(after) > M2_UPGRADE_RANGE.index(before)
    )
    if option.cloud_type != CloudType.M2_PUBLIC or not upward_in_range:
        refuse(
            _(
                "Only a Type M2:Public cloud port can change its interface, and only upward within "
                "100MbE to 1GbE (Smart HUB art. 4 ¶4)."
            ),
            "interface",
        )


@option_end_guard(ServiceCode.SMART_HUB)
def ports_outlive_what_needs_them(option, on):
    """While the contract continues, a port cannot stop if it is the last port (art. 4 ¶1), or the last
    cloud port of the type a continuing NAPT, firewall or static NAT option needs (art. 2 ¶2–¶4).
    """
    if option.kind_id not in PORTS or not lives_after(option.contract, on):
        return
    others = [
        o
        for o in ContractOption.objects.live().filter(contract_id=option.contract_id).exclude(pk=option.pk)
        if lives_after(o, on)
    ]
    if not any(o.kind_id in PORTS for o in others):
        refuse(
            _(
                "The last port option cannot stop while the Smart HUB contract continues (Smart HUB art. 4 ¶1); "
                "cancel the contract instead."
            )
        )
    for dependant in others:
        if dependant.kind_id not in NEEDS_CLOUD_PORT:
            continue
        types, article = NEEDS_CLOUD_PORT[dependant.kind_id]
        if option.cloud_type in types and not any(o.kind_id == CLOUD_PORT and o.cloud_type in types for o in others):
            refuse(
                _("%(option)s still needs this cloud port; stop it first (%(article)s).")
                % {"option": dependant.kind, "article": article}
            )
