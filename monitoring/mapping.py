"""Which contracts an alert hits: its labels ``circuit_id``, ``device`` and ``port`` looked up in the network
identifiers recorded on the guaranteed contracts (live ones only).

The most specific label an alert carries names its contracts: a circuit id the one contract of that circuit;
else a device with a port the contract on that port; else a device alone every contract recorded on it. A
device label beside a circuit id (a Zabbix host, an exporter's instance) therefore narrows nothing away.
"""

from django.db.models import Q

from contracts.selectors import sla_contracts

from .models import NetworkIdentifier


def identifiers_query(labels: dict) -> Q | None:
    """The identifiers ``labels`` name, as a filter; None when they name none."""
    circuit, device, port = (str(labels.get(name, "")).strip() for name in ("circuit_id", "device", "port"))
    if circuit:
        return Q(circuit_id=circuit)
    if device and port:
        return Q(device=device, port=port)
    if device:
        return Q(device=device)
    return None


def contracts_for(labels: dict) -> list:
    """The live CXM2 and Smart HUB contracts ``labels`` name, with their customers (one query)."""
    query = identifiers_query(labels)
    if query is None:
        return []
    named = NetworkIdentifier.objects.filter(query).values("contract_id")
    return list(sla_contracts().filter(pk__in=named).select_related("customer", "service"))
