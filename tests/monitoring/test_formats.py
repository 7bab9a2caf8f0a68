"""Reading the sources' bodies, pure (no database): Alertmanager's webhook version "4" as prometheus.io publishes it,
and the JSON our Zabbix media type posts. Bodies are written here by hand from the formats, not from the reader."""

import json
from datetime import UTC, datetime

import pytest

from monitoring import formats
from monitoring.choices import SourceKind
from monitoring.formats import Malformed

GO_ZERO = "0001-01-01T00:00:00Z"


def _group(*alerts, **extra) -> dict:
    return {
        "version": "4",
        "groupKey": '{}:{alertname="LinkDown"}',
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "backoffice",
        "groupLabels": {"alertname": "LinkDown"},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://am-1.example.net:9093",
        "alerts": list(alerts),
        **extra,
    }


def _alert(**fields) -> dict:
    return {
        "status": "firing",
        "labels": {"alertname": "LinkDown", "circuit_id": "CX-1"},
        "annotations": {"summary": "Link down"},
        "startsAt": "2026-12-07T01:00:00Z",
        "endsAt": GO_ZERO,
        "generatorURL": "http://prometheus.example.net:9090/graph",
        "fingerprint": "6b1d2c3e4f5a6b7c",
        **fields,
    }


def _read(kind: str, data) -> formats.Batch:
    return formats.read(kind, json.dumps(data).encode())


def test_nanosecond_times_are_read_to_the_microsecond_in_utc():
    batch = _read(SourceKind.ALERTMANAGER, _group(_alert(startsAt="2026-12-07T10:00:00.123456789+09:00")))
    (event,) = batch.events
    assert event.starts_at == datetime(2026, 12, 7, 1, 0, 0, 123456, tzinfo=UTC)
    assert event.starts_at.tzinfo is UTC


@pytest.mark.parametrize("ends", [GO_ZERO, "", None, "2026-12-07T01:05:00Z"], ids=["zero", "empty", "null", "guess"])
def test_a_firing_alerts_ends_at_is_no_end(ends):
    """Go's zero time, nothing, or Alertmanager's guess of a timeout: a firing alert has not ended."""
    (event,) = _read(SourceKind.ALERTMANAGER, _group(_alert(endsAt=ends))).events
    assert (event.status, event.ends_at) == ("firing", None)


def test_a_resolved_alert_carries_its_end():
    alert = _alert(status="resolved", endsAt="2026-12-07T02:30:00.5Z")
    (event,) = _read(SourceKind.ALERTMANAGER, _group(alert, status="resolved")).events
    assert event.ends_at == datetime(2026, 12, 7, 2, 30, 0, 500000, tzinfo=UTC)
    assert (event.key, event.name, event.labels["circuit_id"]) == ("6b1d2c3e4f5a6b7c", "LinkDown", "CX-1")


@pytest.mark.parametrize(
    ("alert", "says"),
    [
        (_alert(status="resolved", endsAt="2026-12-07T00:59:59Z"), "alerts[0].endsAt"),
        (_alert(status="resolved", endsAt=GO_ZERO), "alerts[0].endsAt"),
        ({k: v for k, v in _alert().items() if k != "fingerprint"}, "alerts[0].fingerprint"),
        (_alert(fingerprint="  "), "alerts[0].fingerprint"),
        (_alert(startsAt="yesterday"), "alerts[0].startsAt"),
        (_alert(startsAt="2026-12-07T01:00:00"), "no time zone"),
        (_alert(status="pending"), "alerts[0].status"),
    ],
    ids=["ends-before-start", "resolved-without-end", "no-fingerprint", "blank-fingerprint", "time", "naive", "status"],
)
def test_an_alert_that_cannot_be_read_is_refused_naming_where(english, alert, says):
    with pytest.raises(Malformed, match=says.replace("[", r"\[").replace("]", r"\]")):
        _read(SourceKind.ALERTMANAGER, _group(alert))


@pytest.mark.parametrize("truncated", [-1, "2", 1.5, True])
def test_truncated_alerts_is_a_whole_number_not_below_zero(english, truncated):
    with pytest.raises(Malformed, match="truncatedAlerts"):
        _read(SourceKind.ALERTMANAGER, _group(_alert(), truncatedAlerts=truncated))


def test_truncated_alerts_are_counted():
    assert _read(SourceKind.ALERTMANAGER, _group(_alert(), truncatedAlerts=7)).truncated == 7


@pytest.mark.parametrize("version", ["3", 4, None])
def test_only_payload_version_4_is_read(english, version):
    with pytest.raises(Malformed, match="version"):
        _read(SourceKind.ALERTMANAGER, _group(_alert(), version=version))


@pytest.mark.parametrize(
    ("body", "says"),
    [(b"{not json", "not JSON"), (b"\xff\xfe", "not UTF-8"), (b"[]", "JSON object")],
)
def test_a_body_that_is_not_a_json_object_is_refused(english, body, says):
    with pytest.raises(Malformed, match=says):
        formats.read(SourceKind.ALERTMANAGER, body)


def _zabbix(**fields) -> dict:
    return {
        "event_id": "4711",
        "event_value": "1",
        "event_time": "1796605200",  # 2026-12-07T01:00:00Z
        "recovery_time": "{EVENT.RECOVERY.TIMESTAMP}",
        "host": "tokyo-core-1",
        "name": "Interface xe-0/0/1 down",
        "severity": "High",
        "tags": '[{"tag": "port", "value": "xe-0/0/1"}, {"tag": "scope", "value": "availability"}]',
        "url": "https://zabbix.example.net/",
        **fields,
    }


def test_a_zabbix_problem_with_its_recovery_macro_unexpanded_goes_on():
    (event,) = _read(SourceKind.ZABBIX, _zabbix()).events
    assert (event.key, event.status, event.ends_at) == ("4711", "firing", None)
    assert event.starts_at == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def test_zabbix_tags_json_and_host_become_labels():
    (event,) = _read(SourceKind.ZABBIX, _zabbix()).events
    assert event.labels == {"port": "xe-0/0/1", "scope": "availability", "device": "tokyo-core-1"}
    assert event.annotations == {"severity": "High"}


def test_a_device_tag_wins_over_the_host():
    tags = json.dumps([{"tag": "device", "value": "tokyo-edge-2"}])
    (event,) = _read(SourceKind.ZABBIX, _zabbix(tags=tags)).events
    assert event.labels["device"] == "tokyo-edge-2"


def test_a_zabbix_recovery_carries_its_end():
    (event,) = _read(SourceKind.ZABBIX, _zabbix(event_value="0", recovery_time="1796607000")).events
    assert (event.status, event.ends_at) == ("resolved", datetime(2026, 12, 7, 1, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"event_value": "0"}, "RECOVERY.TIMESTAMP"),  # a recovery whose end Zabbix did not expand
        ({"event_value": "0", "recovery_time": "1796605199"}, "RECOVERY.TIMESTAMP"),  # before the problem
        ({"event_value": "2"}, "event_value"),
        ({"event_time": "{EVENT.TIMESTAMP}"}, "event_time"),
        ({"event_time": "yesterday"}, "event_time"),
        ({"event_id": ""}, "event_id"),
        ({"tags": "{EVENT.TAGSJSON"}, "tags"),
    ],
    ids=["recovery-unexpanded", "recovery-before", "value", "time-unexpanded", "time-text", "no-id", "tags"],
)
def test_a_zabbix_event_that_cannot_be_read_is_refused(english, fields, says):
    with pytest.raises(Malformed, match=says.replace("{", r"\{").replace(".", r"\.")):
        _read(SourceKind.ZABBIX, _zabbix(**fields))
