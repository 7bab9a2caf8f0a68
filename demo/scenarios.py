"""One function per service: the contracts, options and changes a demo customer holds.

Each one first gives the customer the related contracts (関連契約) the terms require, so the
data satisfies the rules: PBB for Smart HUB and cloud bypass, Managed Firewall M/CXE for CXM2
firewall integration, Internet Access formed on/after 2020-05-01 for the Cloud Proxy option,
connectivity / data center contracts for managed routers (SPEC §2–§6).
"""

from datetime import date, timedelta

from contracts.choices import (
    ApplicationType,
    Area,
    BuildingType,
    CloudType,
    Interface,
    Ipv4PortType,
    PortLine,
    Region,
    Route,
    ServiceCode,
    Status,
)
from customers.choices import RelatedKind

from .rows import CustomerRows, Planned
from .stories import day, dependent_story, later_story, make_story, stopped_story

CONTRACT_NOTICE = 30
ROUTER_NOTICE = 45
OPTION_NOTICE = 30
CLOUD_INTERFACES = {
    CloudType.A_PRIVATE: [Interface.GBE1, Interface.GBE2, Interface.GBE5, Interface.GBE10],
    CloudType.A_PUBLIC: [Interface.GBE1, Interface.GBE2, Interface.GBE5, Interface.GBE10],
    CloudType.M_PRIVATE: [Interface.GBE1, Interface.GBE2, Interface.GBE5, Interface.GBE10],
    CloudType.M_PUBLIC: [Interface.GBE1, Interface.GBE2, Interface.GBE5, Interface.GBE10],
    CloudType.M2_PUBLIC: [Interface.MBE100, Interface.MBE300, Interface.MBE500, Interface.GBE1],
}
PUBLIC_CLOUDS = (CloudType.A_PUBLIC, CloudType.M_PUBLIC, CloudType.M2_PUBLIC)


def _formed(b: CustomerRows, first=date(2018, 4, 1), last=date(2022, 12, 1)) -> date:
    return day(b.rng, first, last)


def _extra_option(
    b: CustomerRows, contract: Planned, kind: str, chance: float, *, later_only: bool = False, **fields
) -> Planned | None:
    """An option applied with the contract or added later (``later_only``: when what it needs is live);
    some of those on a contract in service have been stopped since."""
    if b.rng.random() >= chance:
        return None
    parent = contract.story
    story = later_story(b.rng, parent) if later_only or b.rng.random() < 0.4 else None
    if story is None:
        if later_only:
            return None
        story = dependent_story(parent)
    if parent.status == Status.ACTIVE and b.rng.random() < 0.25:
        story = stopped_story(b.rng, story, OPTION_NOTICE)
    return b.option(contract, kind, story, **fields)


def cxm2(b: CustomerRows, status: str) -> None:
    rng = b.rng
    if not b.holds(RelatedKind.MANAGED_FIREWALL) and rng.random() < 0.7:
        b.related(RelatedKind.MANAGED_FIREWALL, _formed(b), firewall_item=rng.choice(["M/CXE", "M/CXE", "S"]))
    firewall = b.holds(RelatedKind.MANAGED_FIREWALL)
    story = make_story(rng, status, CONTRACT_NOTICE)
    item = rng.choice(["cxm2.100m", "cxm2.100m", "cxm2.500m", "cxm2.1g"])
    route = rng.choice([Route.MICROSOFT, Route.OFFICE365])
    region = rng.choice([Region.TOKYO, Region.OSAKA])
    active = b.contract(item, story, application_type=ApplicationType.ACTIVE, route=route, region=region)
    if firewall and firewall["firewall_item"] == "M/CXE" and rng.random() < 0.8:
        b.option(active, "cxm2.firewall", dependent_story(story))
        # Static NAT is applied for once firewall integration is live (art. 7 ¶4).
        _extra_option(b, active, "cxm2.static_nat", 0.6, later_only=True)
    _extra_option(b, active, "cxm2.napt", 0.4)
    if item == "cxm2.100m":
        b.change(active, item="cxm2.500m", note="帯域増速のご依頼")
    standby = later_story(rng, story) if status == Status.ACTIVE and rng.random() < 0.6 else None
    if standby:
        # Redundancy added once the Active contract is in service (art. 5), in the other region.
        other = Region.OSAKA if region == Region.TOKYO else Region.TOKYO
        b.contract(
            item,
            standby,
            application_type=ApplicationType.STANDBY,
            route=route,
            region=other,
            standby_of=active.number,
        )


def cloud_proxy(b: CustomerRows, status: str) -> None:
    rng = b.rng
    story = make_story(rng, status, CONTRACT_NOTICE)
    unit = rng.choice(["本社", "全社", "東日本拠点", "西日本拠点", "支店ネットワーク"])
    held = sum(1 for kind, values in b.rows if kind == "contract" and values["item"] == "cloud_proxy.parent")
    unit = f"{unit}{held + 1}" if held else unit  # one parent per management unit (art. 1)
    # The parent is accepted once its children are (art. 6 ¶1): the importer retries it after them.
    parent = b.contract("cloud_proxy.parent", story, management_unit=unit)
    child = dependent_story(story)
    templates = [
        "cloud_proxy.template.m365",
        "cloud_proxy.template.google_workspace",
        "cloud_proxy.template.expressroute",
    ]
    for template in rng.sample(templates, k=rng.choice([1, 1, 2])):
        b.contract(template, child, parent=parent.number)
    if rng.random() < 0.35:
        b.contract("cloud_proxy.external", child, parent=parent.number)
        if rng.random() < 0.5:
            return  # external integration alone satisfies art. 6; no bypass
    b.related(RelatedKind.PBB, _formed(b))  # cloud bypass needs a Private Backbone contract (art. 6)
    if not b.holds(RelatedKind.INTERNET_ACCESS) and rng.random() < 0.7:
        b.related(RelatedKind.INTERNET_ACCESS, _formed(b, date(2019, 4, 1)))
    plan = rng.choice(["p1.20k", "p1.40k", "p1.120k", "p2.400k"])
    bypass = b.contract(f"cloud_proxy.bypass.{plan}", child, parent=parent.number, region=rng.choice(Region.values))
    b.option(bypass, "cloud_proxy.initial_setup", dependent_story(child), applied_with_parent=True)
    internet = b.holds(RelatedKind.INTERNET_ACCESS)
    if internet and internet["started_on"] >= date(2020, 5, 1):
        _extra_option(b, bypass, "cloud_proxy.internet_access", 0.7)
    for kind in ("cloud_proxy.access_control", "cloud_proxy.pac", "cloud_proxy.list_update_api"):
        _extra_option(b, bypass, kind, 0.4)
    if plan == "p1.20k":
        b.change(bypass, item="cloud_proxy.bypass.p1.40k", note="セッション数増加に伴う品目変更")


def smart_hub(b: CustomerRows, status: str) -> None:
    rng = b.rng
    pbb = b.related(RelatedKind.PBB, _formed(b))
    story = make_story(rng, status, CONTRACT_NOTICE)
    hub = b.contract("smart_hub.base", story, related_contract=pbb["reference"])
    ports = dependent_story(story)  # at least one port before billing starts (art. 4 ¶1)
    if rng.random() < 0.6:
        b.option(
            hub,
            "smart_hub.onprem_port",
            ports,
            port_line=rng.choice(PortLine.values),
            interface=rng.choice([Interface.GBE1, Interface.GBE10]),
        )
    cloud = rng.choice(CloudType.values)
    interface = rng.choice(CLOUD_INTERFACES[cloud][:-1] if cloud == CloudType.M2_PUBLIC else CLOUD_INTERFACES[cloud])
    port = b.option(hub, "smart_hub.cloud_port", ports, cloud_type=cloud, interface=interface)
    if cloud == CloudType.M2_PUBLIC:
        # Interfaces of Type M2:Public only go up, within 100MbE–1GbE (art. 4 ¶4).
        faster = CLOUD_INTERFACES[cloud][CLOUD_INTERFACES[cloud].index(interface) + 1]
        b.change(port, interface=faster, note="クラウド接続ポートの帯域増速")
    # NAPT and static NAT need a live public cloud port, the firewall a private one (art. 2 ¶2–¶4).
    if cloud in PUBLIC_CLOUDS:
        sessions = rng.choice([30000, 60000, 120000, 240000, 480000])
        _extra_option(b, hub, "smart_hub.napt", 0.6, later_only=True, sessions=sessions)
        _extra_option(b, hub, "smart_hub.static_nat", 0.5, later_only=True)
    else:
        sessions = rng.choice([500000, 1000000, 2000000, 4000000])
        _extra_option(b, hub, "smart_hub.firewall", 0.7, later_only=True, sessions=sessions)
    expansion = _extra_option(b, hub, "smart_hub.pbb_bandwidth", 0.3, bandwidth_gbps=5)
    if expansion and expansion.story.status == Status.ACTIVE:
        b.change(expansion, bandwidth_gbps=10, note="PBB接続帯域の拡張")


def managed_router(b: CustomerRows, status: str) -> None:
    """One router contract per connectivity or data center contract (art. 4), each formed anew."""
    rng = b.rng
    item = "xa" if ServiceCode.ISP_PLATFORM in b.services else rng.choice(["ll", "ll", "ll", "dc"])
    if item == "dc":
        related = b.related(RelatedKind.DATA_CENTER, _formed(b), shared=False)
    else:
        related = b.related(RelatedKind.CONNECTIVITY, _formed(b), shared=False, isp_business=item == "xa")
    story = make_story(rng, status, ROUTER_NOTICE)
    router = b.contract(f"managed_router.{item}", story, related_contract=related["reference"])
    if item == "ll":
        _extra_option(b, router, "managed_router.cold_standby", 0.5)
    switch = _extra_option(b, router, "managed_router.managed_switch", 0.4)
    if switch and rng.random() < 0.5:
        b.change(switch, units=2, note="マネージドスイッチの増設")  # restarts the option's year (art. 5 ¶4)
    if rng.random() < 0.3:
        b.change(router, equipment=True, note="ルータ機器の変更のご依頼")  # restarts the contract's year (art. 5 ¶3)
    _extra_option(b, router, "managed_router.multihome", 0.3)
    _extra_option(b, router, "managed_router.custom_operation", 0.2)


def isp_platform(b: CustomerRows, status: str) -> None:
    """Corporate customers only (art. 4); IPoE and IPoE shared for detached houses only (art. 5)."""
    rng = b.rng
    apartments = "マンション" in b.name or "住宅" in b.name
    item = "ipoe_limited" if apartments else rng.choice(["ipoe", "ipoe", "ipoe_shared", "ipoe_limited"])
    if item == "ipoe_limited":
        story = make_story(rng, status, CONTRACT_NOTICE, since=date(2024, 12, 1))
        areas = rng.sample(Area.values, k=rng.choice([1, 2]))
        limits = [{"area": area, "mbps": 100 * rng.choice([1, 2, 3, 5, 10])} for area in areas]
        row = b.contract("isp_platform.ipoe_limited", story, building_type=BuildingType.APARTMENT, areas=limits)
    else:
        story = make_story(rng, status, CONTRACT_NOTICE)
        fields = {"building_type": BuildingType.DETACHED, "line_count": rng.choice([120, 300, 500, 1200, 2500])}
        if item == "ipoe_shared":
            fields["bandwidth_consent_on"] = story.applied_on - timedelta(days=rng.randint(5, 20))
            fields["end_user_consent_on"] = story.applied_on - timedelta(days=rng.randint(1, 4))
        row = b.contract(f"isp_platform.{item}", story, **fields)
        b.change(row, line_count=fields["line_count"] + 100 * rng.randint(1, 5), note="回線数の追加")
    if item != "ipoe_shared":
        _extra_option(b, row, "isp_platform.router_rental", 0.5, units=rng.randint(1, 5))
        _extra_option(b, row, "isp_platform.ipv4_port_expansion", 0.4, ipv4_port_type=rng.choice(Ipv4PortType.values))
        _extra_option(b, row, "isp_platform.ipv4_fixed_ip", 0.4)
    _extra_option(b, row, "isp_platform.dslite", 0.3)


SCENARIOS = {
    ServiceCode.CXM2: cxm2,
    ServiceCode.CLOUD_PROXY: cloud_proxy,
    ServiceCode.SMART_HUB: smart_hub,
    ServiceCode.MANAGED_ROUTER: managed_router,
    ServiceCode.ISP_PLATFORM: isp_platform,
}

__all__ = ["SCENARIOS"]
