"""Which contracts an alert hits: its labels ``circuit_id``, ``device`` and ``port`` looked up in the network
identifiers recorded on the guaranteed contracts (live ones only).

A circuit id names one contract; a device with a port names the contract on that port; a device alone
names every contract recorded on it.
"""

from django.db.models import Q

from contracts.selectors import sla_contracts

from .models import NetworkIdentifier


def identifiers_query(labels: dict) -> Q | None:
    """The identifiers ``labels`` name, as a filter; None when they name none."""
    circuit, device, port = (str(labels.get(name, "")).strip() for name in ("circuit_id", "device", "port"))
    query = Q()
    if circuit:
        query |= Q(circuit_id=circuit)
    if device and port:
        query |= Q(device=device, port=port)
    elif device:
        query |= Q(device=device)
    return query or None


def contracts_for(labels: dict) -> list:
    """The live CXM2 and Smart HUB contracts ``labels`` name, with their customers (one query)."""
    query = identifiers_query(labels)
    if query is None:
        return []
    named = NetworkIdentifier.objects.filter(query).values("contract_id")
    return list(sla_contracts().filter(pk__in=named).select_related("customer", "service"))
