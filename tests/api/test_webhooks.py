"""Webhooks out: each event a subscription chose reaches its URL after the commit, through the outbox, signed as
Standard Webhooks sign (checked here with the reference library, never with our own signing code); a refused
delivery is tried again later, a failed one is sent again from the admin, and a rolled-back change sends
nothing. Subscriptions are a superuser's; their secret is shown once."""

import base64
import json
import threading
from datetime import UTC, datetime, timedelta
from datetime import date as D
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.models import WebhookEvent, WebhookSubscription
from api.webhooks import subscriptions
from billing.models import BillingMonth
from billing.signals import invoices_issued
from contracts.choices import Area, ServiceCode, TerminationReason
from contracts.models import BandwidthArea
from contracts.services import changes, lifecycle
from jobs import services as jobs
from jobs.models import Job
from outbox import sending
from outbox.choices import Channel, MessageState
from outbox.models import Message
from receivables.services.allocations import match
from receivables.services.payments import record_payment
from sla.models import Outage
from sla.services import outages
from tests import factories as f
from tests.receivables.conftest import issue, yamada  # noqa: F401  (invoices issued by billing's own closing)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

E = WebhookEvent


class Receiver:
    """An HTTP endpoint on 127.0.0.1 in a thread: it keeps what it receives (path, headers, body) and answers
    the statuses it is given, in turn, then 200."""

    def __init__(self):
        self.received: list[tuple[str, dict, bytes]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"nope" if status >= 300 else b"")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="hook"):
        return f"http://127.0.0.1:{self.server.server_port}/{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def subscribe(receiver, staff):
    """``subscribe(*events, path="hook")``: a subscription of a superuser to ``events`` at the receiver; with
    its secret as shown at its creation (``subscription.shown``)."""

    def make(*events, path="hook", **fields):
        row = WebhookSubscription(url=receiver.url(path), events=list(events), **fields)
        row.shown = subscriptions.create(row, by=staff)
        return row

    return make


def verified(secret: str, headers: dict, body: bytes) -> dict:
    """The payload, verified by the reference Standard Webhooks library."""
    return Webhook(secret).verify(body, headers)


def deliveries():
    return Message.objects.filter(channel=Channel.WEBHOOK).order_by("pk")


def isp_contract():
    contract = f.contract(ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe")
    BandwidthArea.objects.create(contract=contract, area=Area.EAST, mbps=500)
    return contract


def test_a_delivery_goes_after_the_commit_signed_as_standard_webhooks(receiver, subscribe, worked_off):
    subscription = subscribe(E.CONTRACT_ACCEPTED)
    contract = isp_contract()
    with worked_off():
        lifecycle.accept(contract, on=D(2025, 1, 10))
        assert receiver.received == []  # nothing before the commit
    [(_path, headers, body)] = receiver.received
    assert subscription.shown.startswith("whsec_")
    payload = verified(subscription.shown, headers, body)
    assert payload["type"] == "contract.accepted"
    assert datetime.fromisoformat(payload["timestamp"]) > datetime.now(UTC) - timedelta(minutes=1)
    assert payload["data"] == {
        "contract": contract.pk,
        "number": contract.number,
        "customer": contract.customer_id,
        "service": ServiceCode.ISP_PLATFORM,
        "accepted_on": "2025-01-10",
    }
    [row] = deliveries()
    assert (row.state, row.status_code, row.attempts, row.to) == (MessageState.SENT, 200, 1, receiver.url())
    assert headers["webhook-id"] == f"msg_{row.pk}"
    with pytest.raises(WebhookVerificationError):  # another secret's signature is not this one's
        Webhook("whsec_" + base64.b64encode(bytes(32)).decode()).verify(body, headers)


def test_a_refused_delivery_fails_and_goes_on_a_later_try_with_the_same_id(receiver, subscribe, worked_off):
    subscription = subscribe(E.CONTRACT_ACCEPTED)
    receiver.answers = [500]
    with worked_off():
        lifecycle.accept(isp_contract(), on=D(2025, 1, 10))
    [row] = deliveries()
    assert (row.state, row.status_code, row.attempts) == (MessageState.FAILED, 500, 1)
    assert row.error == "Refused: HTTP 500: nope"
    assert timedelta(minutes=5) <= row.retry_at - row.tried_at < timedelta(minutes=5, seconds=5)
    assert list(sending.send_due()) == []  # not yet
    Message.objects.filter(pk=row.pk).update(retry_at=row.retry_at - timedelta(minutes=6))
    [again] = sending.send_due()
    assert (again.state, again.status_code, again.attempts, again.error) == (MessageState.SENT, 200, 2, "")
    first, second = receiver.received
    assert first[1]["webhook-id"] == second[1]["webhook-id"] == f"msg_{row.pk}"
    assert verified(subscription.shown, second[1], second[2]) == json.loads(first[2])


def test_an_unreachable_receiver_is_recorded_without_a_status(subscribe, receiver, worked_off):
    subscribe(E.CONTRACT_ACCEPTED)
    receiver.close()
    with worked_off():
        lifecycle.accept(isp_contract(), on=D(2025, 1, 10))
    [row] = deliveries()
    assert (row.state, row.status_code) == (MessageState.FAILED, None)
    assert "Connection refused" in row.error


def test_a_rolled_back_change_sends_nothing(receiver, subscribe, issue, yamada, worked_off):  # noqa: F811
    with worked_off():
        bill = issue(2025, 2, (yamada, 10_000))[yamada]
    subscribe(E.CONTRACT_ACCEPTED, E.INVOICE_ISSUED)
    with worked_off(), pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.accept(isp_contract(), on=D(2025, 1, 10))  # heard on commit: never
        invoices_issued.send(sender=BillingMonth, month=bill.month, invoice_ids=[bill.pk], by=None)
        assert deliveries().count() == 1  # written with the closing's invoices...
        raise RuntimeError
    assert (deliveries().count(), receiver.received) == (0, [])  # ...and gone with them


def test_the_same_event_heard_twice_is_delivered_once(receiver, subscribe, issue, yamada, worked_off):  # noqa: F811
    with worked_off():
        bill = issue(2025, 2, (yamada, 10_000))[yamada]
    subscribe(E.INVOICE_ISSUED)
    for _time in range(2):
        with worked_off():
            invoices_issued.send(sender=BillingMonth, month=bill.month, invoice_ids=[bill.pk], by=None)
    assert (deliveries().count(), len(receiver.received)) == (1, 1)


def test_a_failed_delivery_is_sent_again_from_the_admin(receiver, subscribe, admin_client, worked_off, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    subscribe(E.CONTRACT_ACCEPTED)
    receiver.answers = [503]
    with worked_off():
        lifecycle.accept(isp_contract(), on=D(2025, 1, 10))
    [row] = deliveries()
    assert (row.state, row.retry_at) == (MessageState.FAILED, None)  # no try left: it waits for staff
    url = reverse("admin:outbox_message_changelist")
    listed = admin_client.get(url, {"channel__exact": Channel.WEBHOOK, "state__exact": MessageState.FAILED})
    assert [m.pk for m in listed.context["cl"].queryset] == [row.pk]
    data = {"action": "send", "_selected_action": [row.pk], "_step": "confirm"}
    with worked_off():
        assert admin_client.post(url, data, follow=True).status_code == 200
    row.refresh_from_db()
    assert (row.state, row.status_code, len(receiver.received)) == (MessageState.SENT, 200, 2)


def test_each_event_reaches_the_subscriptions_to_it_and_no_other(
    receiver,
    subscribe,
    issue,  # noqa: F811
    yamada,  # noqa: F811
    staff,
    worked_off,
):
    subscribed = {event: subscribe(event, path=event) for event in E}
    subscribe(*E, active=False)  # hears nothing
    contract = isp_contract()
    with worked_off():
        lifecycle.accept(contract, on=D(2025, 1, 10))
        lifecycle.start_billing(contract, on=D(2025, 1, 15))
    with worked_off():
        [change] = changes.accept_change(contract, on=D(2025, 3, 1), line_count=25)
    with worked_off():
        lifecycle.terminate(contract, on=D(2025, 4, 30), reason=TerminationReason.GT_ART28_2)
    with worked_off():
        bill = issue(2025, 2, (yamada, 10_000))[yamada]
    with worked_off():
        payment = record_payment(received_on=D(2025, 3, 31), amount=11_000, payer_name="ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ")
        [allocation] = match(payment, [bill], by=staff, reason="test")
    outage = Outage.objects.create(
        started_at=datetime(2025, 3, 3, 1, tzinfo=UTC), ended_at=datetime(2025, 3, 3, 2, tzinfo=UTC), cause="光断"
    )
    with worked_off():
        outages.recorded(outage)
    job = Job.objects.create(kind="test", description="取込", arguments={})
    with worked_off():
        jobs.finish(job.pk, jobs.Outcome("12 rows"))

    heard = {}
    for path, headers, body in receiver.received:
        event = path.lstrip("/")
        heard.setdefault(event, []).append(verified(subscribed[event].shown, headers, body))
    assert {event: {payload["type"] for payload in payloads} for event, payloads in heard.items()} == {
        event.value: {event.value} for event in E
    }
    # Each event once; the jobs that rendered the closing's documents finished too.
    data = {event: payloads[0]["data"] for event, payloads in heard.items()}
    [data[E.JOB_FINISHED]] = [p["data"] for p in heard[E.JOB_FINISHED] if p["data"]["job"] == job.pk]
    assert all(len(payloads) == 1 for event, payloads in heard.items() if event != E.JOB_FINISHED)
    assert data[E.CONTRACT_CHANGED]["changes"] == [{"id": change.pk, "kind": change.kind}]
    assert (data[E.CONTRACT_ENDED]["ended_on"], data[E.CONTRACT_ENDED]["reason"]) == ("2025-04-30", "gt_art28_2")
    assert data[E.INVOICE_ISSUED] == {
        "invoice": bill.pk,
        "number": bill.number,
        "customer": yamada.pk,
        "issued_on": bill.issued_on.isoformat(),
        "due_on": bill.due_on.isoformat(),
        "total": 11_000,
    }
    assert data[E.PAYMENT_MATCHED]["allocations"] == [
        {"id": allocation.pk, "invoice": bill.pk, "customer": yamada.pk, "kind": allocation.kind, "amount": 11_000}
    ]
    assert data[E.OUTAGE_OPENED] == data[E.OUTAGE_CLOSED]
    assert data[E.OUTAGE_CLOSED]["ended_at"] == "2025-03-03T02:00:00Z"
    assert data[E.JOB_FINISHED] == {
        "job": job.pk,
        "kind": "test",
        "description": "取込",
        "state": "done",
        "result": "12 rows",
        "error": "",
        "attempts": 0,
    }
    assert set(deliveries().values_list("state", flat=True)) == {MessageState.SENT}


def test_recording_an_outage_in_the_admin_announces_it(subscribe, receiver, admin_client, worked_off):
    subscribe(E.OUTAGE_OPENED)
    moments = {"started_at_0": "2025-03-03", "started_at_1": "10:00", "ended_at_0": "2025-03-03", "ended_at_1": "11:30"}
    inlines = {f"{name}-{count}_FORMS": "0" for name in ("affected", "notifications") for count in ("TOTAL", "INITIAL")}
    data = {**moments, **inlines, "cause": "光断", "_save": "1"}
    with worked_off():
        response = admin_client.post(reverse("admin:sla_outage_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [(_path, _headers, body)] = receiver.received
    assert json.loads(body)["data"]["outage"] == Outage.objects.get().pk


def test_a_subscription_takes_https_and_known_events(staff, settings):
    def check(url, events=(E.JOB_FINISHED,)):
        WebhookSubscription(owner=staff, url=url, events=list(events), secret="whsec_x").full_clean()

    check("https://example.jp/hooks")
    check("http://localhost:8000/hooks")
    for url in ("http://example.jp/hooks", "ftp://example.jp/"):
        with pytest.raises(ValidationError, match="https://"):
            check(url)
    for events in ([], ["contract.eaten"]):
        with pytest.raises(ValidationError, match="Choose the events"):
            check("https://example.jp/hooks", events)
    settings.WEBHOOKS_ALLOW_LOCAL_HTTP = False
    with pytest.raises(ValidationError, match="https://"):
        check("http://127.0.0.1:8000/hooks")


def test_the_secret_is_shown_once_at_creation_and_at_each_rotation(admin_client, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    add = reverse("admin:api_webhooksubscription_add")
    data = {"url": "https://example.jp/hooks", "events": [E.INVOICE_ISSUED, E.PAYMENT_MATCHED], "description": "会計"}
    page = admin_client.post(add, {**data, "active": "on", "_save": "1"})
    subscription = WebhookSubscription.objects.get()
    assert page.status_code == 200 and subscription.secret in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    change = reverse("admin:api_webhooksubscription_change", args=[subscription.pk])
    shown_later = [admin_client.get(change), admin_client.get(reverse("admin:api_webhooksubscription_changelist"))]
    shown_later.append(admin_client.get(reverse("admin:api_webhooksubscription_history", args=[subscription.pk])))
    assert all(subscription.secret not in later.content.decode() for later in shown_later)
    assert not hasattr(subscription.history.model, "secret")  # the history never held it
    rotate = reverse("admin:api_webhooksubscription_rotate", args=[subscription.pk])
    assert subscription.secret not in admin_client.get(rotate).content.decode()  # asks first
    rotated = admin_client.post(rotate)
    old = subscription.secret
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret in rotated.content.decode()
    assert subscription.history.first().history_change_reason == "Webhook secret rotated"


def test_subscriptions_are_managed_by_superusers_only(client, django_user_model):
    """No role adds or changes one; the auditor reads them, as it reads everything (never their secret)."""
    for role in ("sales", "logistics", "billing", "approver", "auditor"):
        user = django_user_model.objects.create_user(f"{role}-staff", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        assert not any(user.has_perm(f"api.{what}_webhooksubscription") for what in ("add", "change", "delete"))
        client.force_login(user)
        listed = client.get(reverse("admin:api_webhooksubscription_changelist")).status_code
        assert listed == (200 if role == "auditor" else 403)
