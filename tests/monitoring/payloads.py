"""Request bodies as the monitoring systems write them, built from their published formats, never from our
reader's constants.

- Alertmanager: the webhook payload of prometheus.io's "Configuration" page (``<webhook_config>``), version
  "4": ``version``, ``groupKey``, ``truncatedAlerts``, ``status``, ``receiver``, ``groupLabels``,
  ``commonLabels``, ``commonAnnotations``, ``externalURL`` and ``alerts`` (``status``, ``labels``,
  ``annotations``, ``startsAt``, ``endsAt``, ``generatorURL``, ``fingerprint``). Times are RFC 3339 as Go
  writes them (nanoseconds, ``Z``); a firing alert's ``endsAt`` is Go's zero time ``0001-01-01T00:00:00Z``.
- Zabbix: the JSON docs/monitoring.md's media type script posts, with Zabbix's macros expanded as Zabbix
  expands them (``{EVENT.TIMESTAMP}`` in Unix seconds, ``{EVENT.TAGSJSON}`` a list of ``{"tag", "value"}``).
"""

import hashlib
import json
from datetime import UTC, datetime

GO_ZERO_TIME = "0001-01-01T00:00:00Z"


def rfc3339(moment: datetime, nanos: int = 0) -> str:
    """As Alertmanager writes a time: UTC, with nanoseconds when it has them, ``Z``."""
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{nanos:09d}Z" if nanos else f"{text}Z"


def fingerprint(labels: dict) -> str:
    """A fingerprint as Alertmanager prints one: 16 hex digits, stable per label set."""
    return hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]


def alert(labels: dict, starts: datetime, ends: datetime | None = None, *, summary="Link down", nanos=0) -> dict:
    labels = {"alertname": "LinkDown", "severity": "critical", **labels}
    return {
        "status": "resolved" if ends else "firing",
        "labels": labels,
        "annotations": {"summary": summary},
        "startsAt": rfc3339(starts, nanos),
        "endsAt": rfc3339(ends) if ends else GO_ZERO_TIME,
        "generatorURL": "http://prometheus.example.net:9090/graph?g0.expr=up%3D%3D0",
        "fingerprint": fingerprint(labels),
    }


def alertmanager(*alerts: dict, truncated: int = 0, receiver: str = "backoffice", peer: str = "am-1") -> bytes:
    """A group notification; ``peer`` is the Alertmanager of an HA pair that sent it (its external URL)."""
    status = "firing" if any(a["status"] == "firing" for a in alerts) else "resolved"
    common = {k: v for k, v in alerts[0]["labels"].items() if all(a["labels"].get(k) == v for a in alerts)}
    body = {
        "version": "4",
        "groupKey": '{}:{alertname="LinkDown"}',
        "truncatedAlerts": truncated,
        "status": status,
        "receiver": receiver,
        "groupLabels": {"alertname": "LinkDown"},
        "commonLabels": common,
        "commonAnnotations": {},
        "externalURL": f"http://{peer}.example.net:9093",
        "alerts": list(alerts),
    }
    return json.dumps(body).encode()


def zabbix(event_id: int, problem_at: datetime, recovered_at: datetime | None = None, *, host: str, tags=()) -> bytes:
    """What the media type posts for a problem (``EVENT.VALUE`` 1) or its recovery (0); unexpanded macros stay."""
    body = {
        "event_id": str(event_id),
        "event_value": "0" if recovered_at else "1",
        "event_time": str(int(problem_at.timestamp())),
        "recovery_time": str(int(recovered_at.timestamp())) if recovered_at else "{EVENT.RECOVERY.TIMESTAMP}",
        "host": host,
        "name": "Interface down",
        "severity": "High",
        "tags": json.dumps([{"tag": tag, "value": value} for tag, value in tags]),
        "url": "https://zabbix.example.net/",
    }
    return json.dumps(body).encode()
