"""The endpoints: who may post (token, source switched on, allow-list, its own endpoint), what is answered
(202 with the payload, a problem otherwise) and what is kept (each body once, each arrival a receipt, nothing
of a refused sender), and that what is kept never changes, whatever asks."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from monitoring import sources
from monitoring.choices import SourceKind
from monitoring.models import Alert, Payload, Receipt
from tests.sla import builders as sla

from . import payloads
from .builders import post, source

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
START = sla.at(2026, 12, 7, 10, 0)


def _body(circuit="CX-0001") -> bytes:
    return payloads.alertmanager(payloads.alert({"circuit_id": circuit}, START))


def _nothing_kept():
    assert (Payload.objects.count(), Receipt.objects.count()) == (0, 0)


def test_a_readable_body_is_answered_202_with_what_was_kept(client, worked_off):
    _source, token = source()
    with worked_off():
        response = post(client, token, _body(), HTTP_USER_AGENT="Alertmanager/0.28.1", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 202, response.content
    payload, receipt = Payload.objects.get(), Receipt.objects.get()
    assert response.json() == {"payload": payload.pk, "receipt": receipt.pk, "alerts": 1, "seen_before": False}
    assert (payload.body.encode(), payload.size, payload.error) == (_body(), len(_body()), "")
    assert receipt.remote_address == "192.0.2.10"
    assert receipt.headers["User-Agent"] == "Alertmanager/0.28.1"
    assert "Authorization" not in receipt.headers  # the token is never kept


@pytest.mark.parametrize(
    "authorization",
    ["Bearer mon_0123456789ab_not-the-secret", "Bearer wrong", "Basic dXNlcjpwdw==", "Bearer ", ""],
    ids=["unknown", "garbage", "basic", "empty-bearer", "none"],
)
def test_no_or_a_wrong_token_is_401_with_the_scheme_to_use(client, english, authorization):
    source()
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.post("/monitoring/alertmanager", _body(), content_type="application/json", **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == 'Bearer realm="monitoring"'
    assert response.json()["status"] == 401 and response.json()["title"]
    _nothing_kept()


def test_a_token_issued_again_refuses_the_old_one(client):
    row, old = source()
    new = sources.issue(row, by=None)
    assert post(client, old, _body()).status_code == 401
    assert post(client, new, _body()).status_code == 202


def test_a_source_switched_off_is_403(client, english):
    _row, token = source(active=False)
    response = post(client, token, _body())
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert "switched off" in response.json()["title"]
    _nothing_kept()


def test_an_address_off_the_allow_list_is_403(client, english):
    _row, token = source(allowed_addresses="192.0.2.0/24\n2001:db8::/32")
    refused = post(client, token, _body(), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 403 and "address" in refused.json()["title"]
    _nothing_kept()
    assert post(client, token, _body(), REMOTE_ADDR="192.0.2.77").status_code == 202
    assert post(client, token, _body(), REMOTE_ADDR="2001:db8::5").status_code == 202


@override_settings(BEHIND_TLS_PROXY=True)
def test_behind_the_proxy_the_allow_list_reads_the_address_the_proxy_appended(client, english):
    _row, token = source(allowed_addresses="192.0.2.0/24")
    proxied = {"REMOTE_ADDR": "10.0.0.2"}
    assert post(client, token, _body(), HTTP_X_FORWARDED_FOR="192.0.2.9, 198.51.100.7", **proxied).status_code == 403
    accepted = post(client, token, _body(), HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.9", **proxied)
    assert accepted.status_code == 202
    assert Receipt.objects.get().remote_address == "192.0.2.9"


def test_a_zabbix_token_is_refused_at_the_alertmanager_endpoint(client, english):
    _row, token = source(SourceKind.ZABBIX)
    response = post(client, token, _body(), kind=SourceKind.ALERTMANAGER)
    assert response.status_code == 403 and "own endpoint" in response.json()["title"]
    _nothing_kept()


def test_a_body_over_the_limit_is_413_and_nothing_is_kept(client, english):
    _row, token = source()
    big = payloads.alertmanager(payloads.alert({"circuit_id": "CX-0001"}, START, summary="x" * 1024 * 1024))
    assert len(big) > 1024 * 1024
    response = post(client, token, big)
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "The body is larger than 512 KiB: lower max_alerts in the receiver."
    _nothing_kept()


@override_settings(MONITORING_MAX_BODY_BYTES=2048)
def test_the_limit_is_the_setting(client):
    _row, token = source()
    assert post(client, token, _body()).status_code == 202
    assert post(client, token, payloads.alertmanager(payloads.alert({}, START, summary="x" * 2048))).status_code == 413


def test_malformed_json_is_400_with_the_reason_and_kept_once(client, english, worked_off):
    _row, token = source()
    with worked_off():
        first = post(client, token, b'{"version": "4", "alerts": [')
    assert first.status_code == 400 and first["Content-Type"] == PROBLEM
    problem = first.json()
    assert problem["title"] == "The payload cannot be read."
    assert problem["detail"].startswith("The body is not JSON:")
    payload = Payload.objects.get()
    assert problem["payload"] == payload.pk and payload.error == problem["detail"]
    with worked_off():
        again = post(client, token, b'{"version": "4", "alerts": [')
    assert again.status_code == 400 and again.json()["payload"] == payload.pk
    assert (Payload.objects.count(), Receipt.objects.count()) == (1, 2)


def test_payload_version_3_is_400_and_says_which_version_is_read(client, english):
    _row, token = source()
    body = payloads.alertmanager(payloads.alert({"circuit_id": "CX-0001"}, START)).replace(
        b'"version": "4"', b'"version": "3"'
    )
    response = post(client, token, body)
    assert response.status_code == 400
    assert "“4”" in response.json()["detail"] and "“3”" in response.json()["detail"]
    assert Payload.objects.get().error == response.json()["detail"]


def test_a_refused_body_is_not_worked(client, worked_off):
    _row, token = source()
    with worked_off():
        post(client, token, b"[]")
    assert not Alert.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_is_answered(client, method):
    _row, token = source()
    response = getattr(client, method)("/monitoring/alertmanager", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_zabbix_body_is_taken_at_its_endpoint(client):
    _row, token = source(SourceKind.ZABBIX)
    body = payloads.zabbix(4711, START, host="tokyo-core-1")
    response = post(client, token, body, kind=SourceKind.ZABBIX)
    assert response.status_code == 202 and response.json()["alerts"] == 1


# What is kept never changes: the database refuses it, whatever sends the statement.


def _kept(client):
    _row, token = source()
    post(client, token, _body())
    return Payload.objects.get(), Receipt.objects.get()


def _refused(statement):
    with pytest.raises(IntegrityError), transaction.atomic():
        statement()


def test_payloads_and_receipts_are_never_updated(client):
    payload, receipt = _kept(client)
    _refused(lambda: Payload.objects.filter(pk=payload.pk).update(error="edited"))
    _refused(lambda: Payload.objects.filter(pk=payload.pk).update(body="{}"))
    _refused(lambda: Receipt.objects.filter(pk=receipt.pk).update(received_at=START + timedelta(days=1)))
    payload.refresh_from_db()
    assert payload.error == "" and payload.body.encode() == _body()


def test_payloads_and_receipts_are_never_deleted(client):
    payload, receipt = _kept(client)
    _refused(lambda: Receipt.objects.filter(pk=receipt.pk).delete())
    assert Receipt.objects.filter(pk=receipt.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE monitoring_payload SET error = 'edited' WHERE id = %s",
        "DELETE FROM monitoring_receipt WHERE payload_id = %s",
        "UPDATE monitoring_receipt SET remote_address = '203.0.113.1' WHERE payload_id = %s",
        "DELETE FROM monitoring_payload WHERE id = %s",
    ],
)
def test_raw_sql_is_refused_too(client, sql):
    payload, _receipt = _kept(client)

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [payload.pk])

    _refused(run)
    assert (Payload.objects.filter(error="").count(), Receipt.objects.count()) == (1, 1)


def test_a_refusal_speaks_the_language_the_sender_asks_for_japanese_by_default(client):
    _row, token = source()
    asked = post(client, token + "x", b"{}", HTTP_ACCEPT_LANGUAGE="en").json()["title"]
    unasked = client.post(
        "/monitoring/alertmanager", b"{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}x"
    ).json()["title"]
    assert (asked, unasked) == ("The token is not valid.", "トークンが正しくありません。")
