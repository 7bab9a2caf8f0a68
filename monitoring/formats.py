"""Reading what a monitoring source posts into alert events: pure functions, no database.

- Alertmanager's webhook, payload version "4" (prometheus.io, "Configuration", ``webhook_config``): a group's
  ``status``, its ``alerts`` (each with ``status``, ``labels``, ``annotations``, ``startsAt``, ``endsAt``,
  ``generatorURL``, ``fingerprint``) and ``truncatedAlerts``. ``endsAt`` is only an end when the alert is
  resolved: a firing alert's is empty, the zero time or Alertmanager's guess of when it would time out.
- The JSON our Zabbix media type posts (docs/monitoring.md): ``event_id``, ``event_value`` ("1" a problem,
  "0" its recovery), ``event_time`` and ``recovery_time`` (Unix seconds), ``host``, ``name``, ``tags``.
  A macro Zabbix could not expand arrives as its own text (``{EVENT.RECOVERY.TIMESTAMP}``): read as absent.

Every refusal is a ``Malformed`` whose message says what was wrong and where, for the sender's log.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from .choices import AlertStatus, SourceKind

#: The labels that name contracts (``monitoring.mapping``).
IDENTIFYING_LABELS = ("circuit_id", "device", "port")


class Malformed(ValueError):
    """The body cannot be read as the source's format; the message says why, for the sender."""


@dataclass(frozen=True)
class Event:
    """One alert as a source tells it: ``key`` (fingerprint or event id) with ``starts_at`` names it."""

    key: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    name: str = ""
    labels: dict = field(default_factory=dict)
    annotations: dict = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class Batch:
    events: list[Event]
    truncated: int = 0


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise Malformed(_("%(where)s must be a JSON object.") % {"where": where})
    return value


def _text(value, where: str, *, required=True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Malformed(_("%(where)s must be a non-empty string.") % {"where": where})
    return value.strip()


def _strings(value, where: str) -> dict[str, str]:
    """Labels and annotations: an object of strings (a number is taken as its text)."""
    if value is None:
        return {}
    found = _object(value, where)
    return {str(key): str(item) for key, item in found.items() if not isinstance(item, dict | list)}


def _moment(value, where: str) -> datetime | None:
    """An RFC 3339 time (nanoseconds allowed); the zero time Go writes for "none" is None."""
    text = _text(value, where, required=False)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Malformed(
            _("%(where)s is not an RFC 3339 time: “%(value)s”.") % {"where": where, "value": text[:40]}
        ) from None
    if moment.tzinfo is None:
        raise Malformed(_("%(where)s has no time zone: “%(value)s”.") % {"where": where, "value": text[:40]})
    return None if moment.year <= 1 else moment.astimezone(UTC)


def _status(value, where: str) -> str:
    if value not in AlertStatus.values:
        raise Malformed(_("%(where)s is “firing” or “resolved”.") % {"where": where})
    return value


def read_json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Malformed(_("The body is not UTF-8.")) from None
    except json.JSONDecodeError as exc:
        raise Malformed(_("The body is not JSON: %(error)s") % {"error": exc}) from None


def alertmanager(data) -> Batch:
    data = _object(data, "The payload")
    if data.get("version") != "4":
        raise Malformed(
            _("Only Alertmanager's payload version “4” is read; this one is “%(version)s”.")
            % {"version": str(data.get("version"))[:20]}
        )
    alerts = data.get("alerts")
    if not isinstance(alerts, list):
        raise Malformed(_("“alerts” must be a list."))
    truncated = data.get("truncatedAlerts", 0)
    if isinstance(truncated, bool) or not isinstance(truncated, int) or truncated < 0:
        raise Malformed(_("“truncatedAlerts” must be a whole number ≥ 0."))
    events = []
    for index, alert in enumerate(alerts):
        where = f"alerts[{index}]"
        alert = _object(alert, where)
        status = _status(alert.get("status"), f"{where}.status")
        starts_at = _moment(alert.get("startsAt"), f"{where}.startsAt")
        if starts_at is None:
            raise Malformed(_("%(where)s has no start time.") % {"where": f"{where}.startsAt"})
        ends_at = _moment(alert.get("endsAt"), f"{where}.endsAt") if status == AlertStatus.RESOLVED else None
        if status == AlertStatus.RESOLVED and (ends_at is None or ends_at < starts_at):
            raise Malformed(_("%(where)s: a resolved alert ends after it starts.") % {"where": f"{where}.endsAt"})
        labels = _strings(alert.get("labels"), f"{where}.labels")
        events.append(
            Event(
                key=_text(alert.get("fingerprint"), f"{where}.fingerprint")[:120],
                status=status,
                starts_at=starts_at,
                ends_at=ends_at,
                name=labels.get("alertname", "")[:200],
                labels=labels,
                annotations=_strings(alert.get("annotations"), f"{where}.annotations"),
                url=_text(alert.get("generatorURL"), f"{where}.generatorURL", required=False)[:1000],
            )
        )
    return Batch(events, truncated)


def _unix(value, where: str) -> datetime | None:
    text = str(value).strip() if value is not None else ""
    if not text or text.startswith("{"):  # a macro Zabbix left unexpanded
        return None
    try:
        return datetime.fromtimestamp(int(text), UTC)
    except (ValueError, OverflowError, OSError):
        raise Malformed(
            _("%(where)s is not a Unix time in seconds: “%(value)s”.") % {"where": where, "value": text[:40]}
        ) from None


def _tags(value) -> dict[str, str]:
    """Zabbix's ``{EVENT.TAGSJSON}`` (a list of ``{"tag", "value"}``) or an object of tags."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            raise Malformed(_("“tags” must be JSON: a list of {“tag”, “value”}.")) from None
    if isinstance(value, dict):
        return _strings(value, "tags")
    if isinstance(value, list):
        pairs = [item for item in value if isinstance(item, dict) and isinstance(item.get("tag"), str)]
        return {item["tag"]: str(item.get("value", "")) for item in pairs}
    if value is None:
        return {}
    raise Malformed(_("“tags” must be JSON: a list of {“tag”, “value”}."))


def zabbix(data) -> Batch:
    data = _object(data, "The payload")
    event_id = _text(
        str(data["event_id"]) if isinstance(data.get("event_id"), int) else data.get("event_id"), "event_id"
    )
    value = str(data.get("event_value", "")).strip()
    if value not in ("0", "1"):
        raise Malformed(_("“event_value” is “1” (a problem) or “0” (its recovery)."))
    starts_at = _unix(data.get("event_time"), "event_time")
    if starts_at is None:
        raise Malformed(_("“event_time” is the problem's {EVENT.TIMESTAMP}."))
    ends_at = _unix(data.get("recovery_time"), "recovery_time") if value == "0" else None
    if value == "0" and (ends_at is None or ends_at < starts_at):
        raise Malformed(_("A recovery carries its {EVENT.RECOVERY.TIMESTAMP}, after the problem's."))
    labels = _tags(data.get("tags"))
    host = _text(data.get("host"), "host", required=False)
    if host:
        labels.setdefault("device", host)
    return Batch(
        [
            Event(
                key=event_id[:120],
                status=AlertStatus.RESOLVED if value == "0" else AlertStatus.FIRING,
                starts_at=starts_at,
                ends_at=ends_at,
                name=_text(data.get("name"), "name", required=False)[:200],
                labels=labels,
                annotations={"severity": str(data.get("severity", ""))} if data.get("severity") else {},
                url=_text(data.get("url"), "url", required=False)[:1000],
            )
        ]
    )


READERS = {SourceKind.ALERTMANAGER: alertmanager, SourceKind.ZABBIX: zabbix}


def read(kind: str, body: bytes) -> Batch:
    """The events of ``body`` posted by a source of ``kind``; ``Malformed`` with the reason otherwise."""
    return READERS[kind](read_json(body))
