"""The SLA demo data: outages of several lengths on the demo's CXM2 and Smart HUB contracts (one excluded),
failure notifications (one late, one never sent), and claims (granted, past the deadline, waiting).

Written through the SLA services, all or nothing, once: a second run finds the outages and changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.choices import Region, ServiceCode
from contracts.selectors import sla_contracts
from sla.models import Claim, ExclusionReason, FailureNotification, Outage
from sla.services import claims, outages

MARK = "[demo] "


@dataclass(frozen=True)
class DemoOutage:
    cause: str
    start: datetime
    length: timedelta
    pick: dict  # sla_contracts filters; "first" keeps only the first contract
    notified_after: timedelta | None  # after detection (= the start); None: never
    claimed_on: date | None = None
    exclusion: str = ""


def _at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


OUTAGES = (
    DemoOutage(
        "拠点ルータの再起動",
        _at(2025, 10, 2, 9),
        timedelta(minutes=45),
        {"service": ServiceCode.CXM2},
        timedelta(minutes=10),
        claimed_on=date(2025, 10, 20),
    ),
    DemoOutage(
        "バックボーン回線の障害",
        _at(2025, 10, 8, 13),
        timedelta(hours=5),
        {"service": ServiceCode.SMART_HUB},
        timedelta(minutes=50),
        claimed_on=date(2025, 10, 10),
    ),
    DemoOutage(
        "東京ロケーションの電源設備障害",
        _at(2025, 10, 15, 2),
        timedelta(days=2),
        {"location": Region.TOKYO, "all": True},
        timedelta(minutes=20),
        claimed_on=date(2025, 10, 21),
    ),
    DemoOutage(
        "契約者側の設定誤りによる通信断",
        _at(2025, 10, 20, 11),
        timedelta(hours=3),
        {"service": ServiceCode.CXM2},
        timedelta(minutes=5),
        exclusion=ExclusionReason.CUSTOMER_BREACH,
    ),
    DemoOutage(
        "中継装置の故障(長期)",
        _at(2025, 6, 2, 8),
        timedelta(days=4),
        {"service": ServiceCode.SMART_HUB},
        None,
        claimed_on=date(2025, 10, 1),
    ),
)


def _contracts(spec: DemoOutage):
    filters = {name: value for name, value in spec.pick.items() if name != "all"}
    rows = sla_contracts(**filters).filter(accepted_on__lte=spec.start.date(), customer__code__startswith="D")
    return list(rows) if spec.pick.get("all") else list(rows[:1])


@transaction.atomic
def contribute(seed: int, user) -> list[str]:
    if Outage.objects.filter(cause__startswith=MARK).exists():
        return [_("SLA outages: 0 created, already present.")]
    decided = 0
    for spec in OUTAGES:
        outage = Outage(
            started_at=spec.start,
            ended_at=spec.start + spec.length,
            cause=MARK + spec.cause,
            excluded=bool(spec.exclusion),
            exclusion_reason=spec.exclusion,
            exclusion_note="お客様設備の設定変更による通信断と確認" if spec.exclusion else "",
        )
        outage.full_clean()
        outage._history_user = user
        outage.save()
        contracts = _contracts(spec)
        outages.affect(outage, contracts, by=user)
        for customer in {c.customer for c in contracts}:
            notice = FailureNotification(
                outage=outage,
                customer=customer,
                detected_at=spec.start,
                notified_at=spec.start + spec.notified_after if spec.notified_after else None,
                notified_by=user,
            )
            notice.full_clean()
            notice._history_user = user
            notice.save()
        outages.recompute(outage, by=user)
        if spec.claimed_on and contracts:
            claim = Claim(affected=outage.affected.get(contract=contracts[0]), claimed_on=spec.claimed_on)
            claim.full_clean()
            claim._history_user = user
            claim.save()
            if spec is not OUTAGES[0]:  # the first claim waits for billing's decision
                claims.decide(claim, on=spec.claimed_on, by=user)
                decided += 1
    return [
        _("SLA outages: %(created)d created, %(decided)d claims decided, 1 waiting.")
        % {"created": len(OUTAGES), "decided": decided}
    ]
