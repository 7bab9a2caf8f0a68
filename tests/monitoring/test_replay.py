"""``replay_alerts``: saved bodies taken as the endpoint takes them, kept and deduplicated the same way, worked
here with ``--process-now``; and docs/monitoring/samples read as the documentation says."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from contracts.choices import ServiceCode
from monitoring.choices import AlertStatus, SourceKind
from monitoring.models import Alert, Payload, Receipt
from sla.models import Outage, OutageState
from tests.sla import builders as sla

from . import payloads
from .builders import identified, source

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "docs" / "monitoring" / "samples"
START = sla.at(2026, 12, 7, 10, 0)


def _replay(*files, source_name="alertmanager-1", stdin=None, out=None, **options) -> str:
    out = out or io.StringIO()
    if stdin is not None:
        options["stdin"] = stdin
    call_command("replay_alerts", *map(str, files), source=source_name, stdout=out, language="en", **options)
    return out.getvalue()


def _saved(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_bodies_are_kept_once_and_seen_again_as_receipts(tmp_path):
    source(name="alertmanager-1")
    circuit = {"circuit_id": "CX-0001"}
    firing = _saved(tmp_path, "firing.json", payloads.alertmanager(payloads.alert(circuit, START)))
    twin = _saved(tmp_path, "twin.json", payloads.alertmanager(payloads.alert(circuit, START), peer="am-2"))
    output = _replay(firing, firing, twin)
    first, other = Payload.objects.order_by("pk")
    assert f"firing.json: payload {first.pk} kept: 1 alerts" in output
    assert f"firing.json: payload {first.pk} seen before (1 alerts): a receipt added" in output
    assert f"twin.json: payload {other.pk} kept: 1 alerts" in output and other != first
    assert "3 files: 2 new payloads, 1 seen before, 0 not taken; 3 alerts." in output
    assert Receipt.objects.filter(payload=first).count() == 2
    receipt = Receipt.objects.filter(payload=first).first()
    assert receipt.remote_address is None and receipt.headers["User-Agent"] == "manage.py replay_alerts firing.json"
    assert not Alert.objects.exists()  # left to the task worker


def test_process_now_works_the_alerts_here_once_whatever_the_resends(tmp_path):
    contract = identified(circuit_id="CX-0001")
    source(name="alertmanager-1")
    circuit = {"circuit_id": "CX-0001"}
    firing = _saved(tmp_path, "firing.json", payloads.alertmanager(payloads.alert(circuit, START)))
    twin = _saved(tmp_path, "twin.json", payloads.alertmanager(payloads.alert(circuit, START), peer="am-2"))
    ended = payloads.alert(circuit, START, START + timedelta(hours=2))
    resolved = _saved(tmp_path, "resolved.json", payloads.alertmanager(ended))
    output = _replay(firing, twin, resolved, process_now=True)
    assert output.count("worked now") == 3
    assert "worked now: 1 alerts first recorded from it" in output
    alert = Alert.objects.get()  # the HA twin's alert is the same alert
    assert alert.status == AlertStatus.RESOLVED and alert.ends_at == START + timedelta(hours=2)
    outage = Outage.objects.get()
    assert outage.state == OutageState.DRAFT and outage.affected.get().contract == contract
    assert (outage.started_at, outage.ended_at) == (START, START + timedelta(hours=2))
    _replay(resolved, firing, process_now=True)  # seen before: worked again, nothing changes
    assert Alert.objects.count() == 1 and Outage.objects.count() == 1 and Payload.objects.count() == 3


def test_a_body_that_cannot_be_read_is_kept_with_its_reason_and_the_command_fails(tmp_path):
    source(name="alertmanager-1")
    good = _saved(tmp_path, "good.json", payloads.alertmanager(payloads.alert({"circuit_id": "CX-1"}, START)))
    old = _saved(tmp_path, "v3.json", payloads.alertmanager(payloads.alert({}, START)).replace(b'"4"', b'"3"'))
    with pytest.raises(CommandError, match="2 files: 1 new payloads, 0 seen before, 1 not taken; 1 alerts."):
        _replay(good, old)
    refused = Payload.objects.exclude(error="").get()
    assert "version" in refused.error


def test_a_missing_file_and_a_body_over_the_limit_are_not_taken(tmp_path):
    source(name="alertmanager-1")
    big = _saved(tmp_path, "big.json", payloads.alertmanager(payloads.alert({}, START, summary="x" * 2048)))
    out = io.StringIO()
    with override_settings(MONITORING_MAX_BODY_BYTES=1024), pytest.raises(CommandError, match="2 not taken"):
        _replay(tmp_path / "nowhere.json", big, out=out)
    assert "nowhere.json: not read: No such file or directory" in out.getvalue()
    assert "big.json: The body is larger than 1 KiB: lower max_alerts in the receiver." in out.getvalue()
    assert not Payload.objects.exists()


def test_a_body_on_standard_input(tmp_path):
    source(SourceKind.ZABBIX, name="zabbix-1")
    body = payloads.zabbix(4711, START, host="cr1.tokyo")
    output = _replay("-", source_name="zabbix-1", stdin=io.BytesIO(body))
    assert "-: payload" in output and "kept: 1 alerts" in output
    assert Receipt.objects.get().headers["User-Agent"] == "manage.py replay_alerts stdin"


def test_an_unknown_source_is_named_with_the_sources_there_are():
    source(name="prometheus-tokyo")
    source(SourceKind.ZABBIX, name="zabbix-osaka")
    with pytest.raises(CommandError, match="“prometheus”; the sources are: prometheus-tokyo, zabbix-osaka."):
        _replay("x.json", source_name="prometheus")


def test_the_samples_of_the_documentation_are_read_and_worked():
    """docs/monitoring.md's samples: a group firing then resolved, a Zabbix problem then its recovery."""
    cxm2 = identified(circuit_id="CX-TKY-0001")
    hub = identified(device="hub-osaka-01", port="xe-0/0/3", service=ServiceCode.SMART_HUB)
    source(name="alertmanager-1")
    source(SourceKind.ZABBIX, name="zabbix-1")
    files = ("alertmanager-firing.json", "alertmanager-resolved.json")
    output = _replay(*(SAMPLES / name for name in files), process_now=True)
    assert "2 files: 2 new payloads, 0 seen before, 0 not taken; 4 alerts." in output
    files = ("zabbix-problem.json", "zabbix-recovery.json")
    output = _replay(*(SAMPLES / name for name in files), source_name="zabbix-1", process_now=True)
    assert "2 files: 2 new payloads, 0 seen before, 0 not taken; 2 alerts." in output
    assert not Alert.objects.exclude(status=AlertStatus.RESOLVED).exists()
    circuit = Outage.objects.get(affected__contract=cxm2)
    assert circuit.alerts.count() == 2 and circuit.cause.startswith("CircuitDown: CX-TKY-0001 is down")
    assert circuit.duration > timedelta(hours=1, minutes=44) and circuit.ended_at is not None
    port = Outage.objects.get(affected__contract=hub)
    assert port.duration == timedelta(hours=1, minutes=37) and port.alerts.get().key == "880412"
