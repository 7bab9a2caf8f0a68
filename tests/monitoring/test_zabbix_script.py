"""The Zabbix media type's script (docs/zabbix/backoffice_webhook.js) run with node against a stand-in for what
Zabbix gives a webhook script: ``value`` (the parameters as a JSON string), ``HttpRequest`` and ``Zabbix.log``.

The parameters are the media type's as docs/monitoring.md lists them, with the macros expanded as Zabbix
expands them (Unix seconds, ``{EVENT.TAGSJSON}`` a JSON list of ``{"tag", "value"}``, a macro it cannot
expand left as its own text); what the script posts must be read by ``monitoring.formats.zabbix`` and taken
by the endpoint.
"""

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings

from monitoring import formats
from monitoring.choices import AlertStatus, SourceKind
from monitoring.models import Alert

from .builders import identified, source

NODE = shutil.which("node")
SCRIPT = Path(settings.BASE_DIR) / "docs" / "zabbix" / "backoffice_webhook.js"

pytestmark = pytest.mark.skipif(NODE is None, reason="needs node to run the Zabbix script")

#: What Zabbix gives the script, and what the test reads back: the requests it made, its result or its error.
SHIM = r"""
const fs = require('fs');
const given = JSON.parse(fs.readFileSync(0, 'utf8'));
const requests = [];
function HttpRequest() { this.headers = []; this.status = 0; }
HttpRequest.prototype.addHeader = function (header) { this.headers.push(header); };
HttpRequest.prototype.setProxy = function (proxy) { this.proxy = proxy; };
HttpRequest.prototype.post = function (url, body) {
    requests.push({url: url, body: body, headers: this.headers});
    this.status = given.status;
    return given.answer;
};
HttpRequest.prototype.getStatus = function () { return this.status; };
const Zabbix = {log: function (level, message) {}};
const script = new Function('value', 'HttpRequest', 'Zabbix', fs.readFileSync(process.argv[2], 'utf8'));
let result = null, error = null;
try { result = script(JSON.stringify(given.params), HttpRequest, Zabbix); } catch (e) { error = String(e); }
process.stdout.write(JSON.stringify({result: result, error: error, requests: requests}));
"""

PROBLEM_AT = datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC)
RECOVERED_AT = datetime(2026, 12, 7, 2, 30, 0, tzinfo=UTC)


def _params(**overrides) -> dict:
    """The media type's parameters for a problem of host ``cr1-tokyo``, as Zabbix expands the macros."""
    return {
        "endpoint": "https://backoffice.example.jp/monitoring/zabbix",
        "token": "mon_0123456789ab_secret",
        "event_id": "4711",
        "event_value": "1",
        "event_time": str(int(PROBLEM_AT.timestamp())),
        "recovery_time": "{EVENT.RECOVERY.TIMESTAMP}",
        "host": "cr1-tokyo",
        "name": "Interface xe-0/0/1: link down",
        "severity": "High",
        "tags": json.dumps([{"tag": "circuit_id", "value": "CX-0001"}, {"tag": "port", "value": "xe-0/0/1"}]),
        "url": "https://zabbix.example.net/tr_events.php?triggerid=13&eventid=4711",
        **overrides,
    }


def _run(tmp_path: Path, params: dict, status=202, answer='{"payload": 1}') -> dict:
    shim = tmp_path / "shim.js"
    shim.write_text(SHIM)
    given = json.dumps({"params": params, "status": status, "answer": answer})
    done = subprocess.run(
        [NODE, str(shim), str(SCRIPT)], input=given, capture_output=True, text=True, timeout=30, check=True
    )
    return json.loads(done.stdout)


def test_the_script_is_ecmascript_5_as_zabbix_runs_it():
    text = re.sub(r"//.*", "", SCRIPT.read_text())
    assert not re.search(r"=>|`|\blet\b|\bconst\b|\bclass\b", text)


def test_a_problem_is_posted_with_the_token_and_read_as_a_firing_alert(tmp_path):
    ran = _run(tmp_path, _params())
    assert ran["error"] is None and ran["result"] == "OK"
    [request] = ran["requests"]
    assert request["url"] == "https://backoffice.example.jp/monitoring/zabbix"
    assert "Authorization: Bearer mon_0123456789ab_secret" in request["headers"]
    assert "Content-Type: application/json" in request["headers"]
    [event] = formats.zabbix(json.loads(request["body"])).events
    assert (event.key, event.status, event.starts_at, event.ends_at) == ("4711", AlertStatus.FIRING, PROBLEM_AT, None)
    assert event.labels == {"circuit_id": "CX-0001", "port": "xe-0/0/1", "device": "cr1-tokyo"}
    assert event.name == "Interface xe-0/0/1: link down" and event.annotations == {"severity": "High"}
    assert event.url.endswith("eventid=4711")


def test_a_recovery_is_read_as_the_same_event_resolved(tmp_path):
    params = _params(event_value="0", recovery_time=str(int(RECOVERED_AT.timestamp())))
    [request] = _run(tmp_path, params)["requests"]
    [event] = formats.zabbix(json.loads(request["body"])).events
    assert (event.key, event.status, event.starts_at, event.ends_at) == (
        "4711",
        AlertStatus.RESOLVED,
        PROBLEM_AT,
        RECOVERED_AT,
    )


@pytest.mark.parametrize("tags", ["", "{EVENT.TAGSJSON}", "[]"])
def test_an_event_without_tags_is_named_by_its_host(tmp_path, tags):
    [request] = _run(tmp_path, _params(tags=tags))["requests"]
    [event] = formats.zabbix(json.loads(request["body"])).events
    assert event.labels == {"device": "cr1-tokyo"}


@pytest.mark.parametrize("status", [400, 401, 403, 413, 500])
def test_an_answer_other_than_2xx_is_thrown_for_zabbix_to_log_and_retry(tmp_path, status):
    ran = _run(tmp_path, _params(), status=status, answer='{"title": "The token is not valid."}')
    assert ran["result"] is None
    assert f"HTTP {status}" in ran["error"] and "The token is not valid." in ran["error"]


def test_a_missing_parameter_is_thrown_before_anything_is_sent(tmp_path):
    ran = _run(tmp_path, _params(token=""))
    assert ran["requests"] == [] and '"token"' in ran["error"]


@pytest.mark.django_db
def test_the_endpoint_takes_what_the_script_posts(tmp_path, client, worked_off):
    contract = identified(circuit_id="CX-0001")
    _row, token = source(kind=SourceKind.ZABBIX)
    [request] = _run(tmp_path, _params(token=token))["requests"]
    headers = dict(header.split(": ", 1) for header in request["headers"])
    with worked_off():
        response = client.post(
            "/monitoring/zabbix",
            request["body"],
            content_type=headers["Content-Type"],
            HTTP_AUTHORIZATION=headers["Authorization"],
        )
    assert response.status_code == 202, response.content
    alert = Alert.objects.get()
    assert alert.key == "4711" and alert.outage.affected.get().contract == contract
