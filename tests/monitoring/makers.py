"""One more row of each monitoring model, for the admin's smoke and hostile-input tests."""

import itertools
from datetime import timedelta

from monitoring import intake
from monitoring.formats import read
from monitoring.models import Alert, NetworkIdentifier, Payload, Receipt, Source
from monitoring.processing import record
from tests.sla import builders as sla

from . import payloads
from .builders import identified, source

_n = itertools.count(1)


def _source() -> Source:
    return source()[0]


def _payload() -> Payload:
    """A kept body naming a circuit no contract has (nothing more is made of it here)."""
    start = sla.at(2026, 12, 1, 9) + timedelta(minutes=next(_n))
    body = payloads.alertmanager(payloads.alert({"circuit_id": f"NONE-{next(_n)}"}, start))
    return intake.take(_source(), body, headers={"User-Agent": "Alertmanager/0.28.1"}, address="192.0.2.10").payload


def _receipt() -> Receipt:
    return _payload().receipts.get()


def _alert() -> Alert:
    payload = _payload()
    event = read(payload.source.kind, payload.body.encode()).events[0]
    return record(payload, event)


def _identifier() -> NetworkIdentifier:
    return identified(circuit_id=f"CX-{next(_n):05d}").network_identifiers.get()


MAKERS = {Source: _source, Payload: _payload, Receipt: _receipt, Alert: _alert, NetworkIdentifier: _identifier}
