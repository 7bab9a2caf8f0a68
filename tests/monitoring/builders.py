"""Builders of the monitoring tests: sources with their tokens, guaranteed contracts with network identifiers,
and posting a body as the monitoring would, its task worked off."""

from datetime import timedelta

from django.utils import timezone

from contracts.choices import ServiceCode
from monitoring import sources
from monitoring.choices import SourceKind
from monitoring.models import NetworkIdentifier, Source
from tests import factories as f
from tests.sla import builders as sla


def source(kind=SourceKind.ALERTMANAGER, name=None, **kw) -> tuple[Source, str]:
    row = Source(name=name or f"{kind}-{Source.objects.count() + 1}", kind=kind, **kw)
    return row, sources.issue(row, by=None)


def identified(circuit_id="", device="", port="", service=ServiceCode.CXM2, customer=None, email="noc@example.jp"):
    """A live guaranteed contract named on the network by these identifiers; its customer's failure contact
    reads ``email``."""
    customer = customer or f.customer(
        failure_contact_name="障害 太郎", failure_contact_phone="03-1234-5678", failure_contact_email=email
    )
    contract = sla.live(service, customer)
    row = NetworkIdentifier(contract=contract, circuit_id=circuit_id, device=device, port=port)
    row.full_clean()
    row.save()
    return contract


def post(client, token: str, body: bytes, kind=SourceKind.ALERTMANAGER, **headers):
    """Posted as a monitoring system asking for English answers (its log's language)."""
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(
        f"/monitoring/{kind}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **headers
    )


def delivered(client, worked_off, token: str, body: bytes, kind=SourceKind.ALERTMANAGER, **headers):
    """Post ``body`` and work off what it queued (the payload's task, the e-mails it posted): accepted."""
    with worked_off():
        response = post(client, token, body, kind, **headers)
    assert response.status_code == 202, response.content
    return response.json()


def ago(minutes: int = 0):
    """A moment ``minutes`` before now, on the minute (an alert's start as the monitoring reports it)."""
    return timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes)
