"""The monitoring's demo data: an Alertmanager source, network identifiers on a few live CXM2 and Smart HUB
contracts, and alerts posted as Alertmanager posts them, through ``monitoring.intake.take`` and the processing
the task worker would do, so the dashboard (/admin/monitoring/dashboard/) has something to show:

- an outage confirmed with its credits claimable: its alert came before its circuit was recorded (mapped again
  once it was), so its failure notice went late and earns the notification credit beside the availability one;
- a draft whose alert resolved (sent by both Alertmanagers of an HA pair: one alert), waiting to be confirmed;
- an outage going on;
- an alert naming a circuit no contract has, on the worklist.

The alerts are dated back from the moment the seed runs, as the dashboard counts from the clock. The failure
notices are sent here through the outbox, as the receivables demo sends its dunning notices: with the mail
backend configured (the console under scripts/serve.sh), to the demo customers' example.jp addresses.

The source has no token (``monitoring.sources`` is not the monitoring's face): a superuser issues one on its
page to post to it. All or nothing, once: a second run finds the source and changes nothing.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.choices import ServiceCode, Status
from contracts.models import ContractOption
from contracts.selectors import SMART_HUB_PORTS, sla_contracts
from monitoring import intake, processing
from monitoring.models import Alert, Mapping, NetworkIdentifier, Source, SourceKind
from outbox import sending
from outbox.choices import MessageState
from outbox.models import Message
from sla.models import FailureNotification, Outage, OutageOrigin, OutageState
from sla.services import drafts, notices

SOURCE = "prometheus-demo"
GO_ZERO_TIME = "0001-01-01T00:00:00Z"


@dataclass(frozen=True)
class DemoAlert:
    name: str
    labels: dict
    summary: str
    starts_ago: timedelta
    lasts: timedelta | None  # None: still firing


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _alert(spec: DemoAlert, now: datetime, *, resolved: bool) -> dict:
    """One alert as Alertmanager's webhook writes it (payload version 4)."""
    labels = {"alertname": spec.name, "severity": "critical", **spec.labels}
    starts = now - spec.starts_ago
    return {
        "status": "resolved" if resolved else "firing",
        "labels": labels,
        "annotations": {"summary": spec.summary},
        "startsAt": _rfc3339(starts),
        "endsAt": _rfc3339(starts + spec.lasts) if resolved else GO_ZERO_TIME,
        "generatorURL": "http://prometheus-1.example.net:9090/graph?g0.expr=ifOperStatus+%3D%3D+2",
        "fingerprint": hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16],
    }


def _group(alert: dict, *, peer: str = "alertmanager-1") -> bytes:
    """A group notification of one alert, as ``peer`` (one Alertmanager of the HA pair) sends it."""
    name = alert["labels"]["alertname"]
    body = {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="{name}"}}',
        "truncatedAlerts": 0,
        "status": alert["status"],
        "receiver": "backoffice",
        "groupLabels": {"alertname": name},
        "commonLabels": alert["labels"],
        "commonAnnotations": alert["annotations"],
        "externalURL": f"http://{peer}.example.net:9093",
        "alerts": [alert],
    }
    return json.dumps(body, ensure_ascii=False).encode()


def _post(source: Source, body: bytes) -> None:
    """What the endpoint and the task worker would do with ``body``."""
    taken = intake.take(source, body, headers={"User-Agent": "Alertmanager/0.28.1"}, address="192.0.2.10")
    processing.process_payload.call(taken.payload.pk)


def _identify(contract, user, **names) -> NetworkIdentifier:
    row = NetworkIdentifier(contract=contract, **names)
    row.full_clean()
    row._history_user, row._change_reason = user, "demo"
    row.save()
    return row


def _contracts():
    """Two CXM2 and two Smart HUB contracts in service, each Smart HUB one with a port, in a fixed order."""
    in_service = {"status": Status.ACTIVE, "customer__code__startswith": "D"}
    cxm2 = list(sla_contracts(service=ServiceCode.CXM2).filter(**in_service))
    hubs = []
    for hub in sla_contracts(service=ServiceCode.SMART_HUB).filter(**in_service):
        port = ContractOption.objects.live().filter(contract=hub, kind_id__in=SMART_HUB_PORTS).order_by("pk").first()
        if port is not None:
            hubs.append((hub, port))
    return cxm2[:2], hubs[:2]


def _circuit_down(circuit: str, starts_ago: timedelta, lasts: timedelta | None = None, note: str = "") -> DemoAlert:
    return DemoAlert("CircuitDown", {"circuit_id": circuit}, f"{circuit} 回線断{note}", starts_ago, lasts)


@transaction.atomic
def _play(user) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    source = Source(name=SOURCE, kind=SourceKind.ALERTMANAGER, token_prefix="demo", token_digest="")
    source._history_user, source._change_reason = user, "demo"
    source.save()
    (late, going), hubs = _contracts()

    # Confirmed: the circuit's alert fired and resolved while no contract named it; recorded, mapped again.
    circuit = f"CX-{late.number}"
    down = _circuit_down(circuit, timedelta(hours=26), timedelta(hours=1, minutes=35))
    _post(source, _group(_alert(down, now, resolved=False)))
    _post(source, _group(_alert(down, now, resolved=True)))
    _identify(late, user, circuit_id=circuit, note="開通時の登録漏れ: 障害の後に登録")
    outage = processing.map_again(Alert.objects.get(source=source, labels__circuit_id=circuit), by=user)
    drafts.confirm(outage, by=user)

    # A draft to confirm: a Smart HUB port down for 19 minutes, told by both Alertmanagers of the pair.
    devices = [{"device": f"shub-{hub.number.lower()}", "port": "cloud-1"} for hub, _port in hubs]
    for (hub, port), names in zip(hubs, devices, strict=True):
        _identify(hub, user, option=port, **names)
    summary = "Smart HUB クラウド接続ポート cloud-1 リンクダウン"
    port_down = DemoAlert("PortDown", devices[0], summary, timedelta(minutes=25), timedelta(minutes=19))
    for peer in ("alertmanager-1", "alertmanager-2"):
        _post(source, _group(_alert(port_down, now, resolved=False), peer=peer))
    _post(source, _group(_alert(port_down, now, resolved=True)))

    # Going on, and an alert naming a circuit no contract has.
    _identify(going, user, circuit_id=f"CX-{going.number}")
    _post(source, _group(_alert(_circuit_down(f"CX-{going.number}", timedelta(minutes=12)), now, resolved=False)))
    unknown = _circuit_down("CX-NEW-0001", timedelta(minutes=40), note="(未登録の回線)")
    _post(source, _group(_alert(unknown, now, resolved=False)))


def _send_notices() -> None:
    """Send the failure notices now, so each is notified at this moment (``sla.services.notices.sent``)."""
    for message in Message.objects.filter(topic=notices.TOPIC, state=MessageState.QUEUED).order_by("pk"):
        sending.send(message)


def contribute(seed: int, user) -> list[str]:
    if not Source.objects.filter(name=SOURCE).exists():
        _play(user)
        _send_notices()
    outages = Outage.objects.filter(origin=OutageOrigin.MONITORING, alerts__source__name=SOURCE).distinct()
    return [
        _(
            "Monitoring: %(identifiers)d network identifiers, %(alerts)d alerts (%(unmapped)d mapping to no "
            "contract); outages from them: %(confirmed)d confirmed, %(drafts)d drafts to confirm, %(open)d going "
            "on; %(notified)d failure notices given."
        )
        % {
            "identifiers": NetworkIdentifier.objects.count(),
            "alerts": Alert.objects.filter(source__name=SOURCE).count(),
            "unmapped": Alert.objects.filter(source__name=SOURCE, mapping=Mapping.UNMAPPED).count(),
            "confirmed": outages.filter(state=OutageState.CONFIRMED).count(),
            "drafts": outages.filter(state=OutageState.DRAFT, ended_at__isnull=False).count(),
            "open": outages.filter(ended_at__isnull=True).count(),
            "notified": FailureNotification.objects.filter(outage__in=outages, notified_at__isnull=False).count(),
        }
    ]
