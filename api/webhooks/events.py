"""The events other systems may hear of, from the domain apps' signals: one outbox message per active
subscription to the event, keyed by subscription and event so that an event heard twice is posted once.

Payload: ``{"type": "contract.accepted", "timestamp": ISO 8601, "data": {ids and the key facts}}``. The invoices
issued are heard inside the closing's transaction, so their deliveries commit with them; the other signals are
sent once their change committed, and the deliveries are written then, in a transaction of their own."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from billing.models import BillingMonth, Invoice
from billing.signals import invoices_issued
from contracts import signals as contract_signals
from contracts.models import Contract
from jobs import signals as job_signals
from outbox import sending
from receivables import signals as receivable_signals
from sla import signals as sla_signals

from ..models import WebhookEvent, WebhookSubscription
from .subscriptions import TOPIC

E = WebhookEvent

#: ``(event id, data)`` of each occurrence of an event, built only when someone subscribes to it.
Facts = Callable[[], Iterable[tuple[str, dict]]]


def post(event: WebhookEvent, facts: Facts) -> None:
    """Post a delivery of each occurrence ``facts`` gives to every active subscription to ``event``."""
    subscribed = [row for row in WebhookSubscription.objects.filter(active=True) if event in row.events]
    if not subscribed:
        return
    now = timezone.now()
    hooks = [
        sending.Webhook(TOPIC, f"webhook:{row.pk}:{event}:{event_id}", row.url, row.pk, event, data, now)
        for event_id, data in facts()
        for row in subscribed
    ]
    with transaction.atomic():
        sending.post_webhooks(hooks)


def _contract(contract: Contract) -> dict:
    return {
        "contract": contract.pk,
        "number": contract.number,
        "customer": contract.customer_id,
        "service": contract.service_id,
    }


def contract_accepted(sender, instance, on, **kwargs):
    if sender is Contract:
        post(E.CONTRACT_ACCEPTED, lambda: [(str(instance.pk), {**_contract(instance), "accepted_on": on})])


def contract_changed(sender, instance, on, changes, **kwargs):
    """A change of the contract or of one of its options; the event is the change records'."""
    contract = instance if sender is Contract else instance.contract
    option = None if sender is Contract else instance.pk
    data = {**_contract(contract), "option": option, "changed_on": on}
    data["changes"] = [{"id": change.pk, "kind": change.kind} for change in changes]
    post(E.CONTRACT_CHANGED, lambda: [(f"{contract.pk}:{min(change.pk for change in changes)}", data)])


def contract_ended(sender, instance, on, reason, **kwargs):
    if sender is Contract:
        post(E.CONTRACT_ENDED, lambda: [(str(instance.pk), {**_contract(instance), "ended_on": on, "reason": reason})])


def invoices_were_issued(sender, month: BillingMonth, invoice_ids, **kwargs):
    """Inside the closing's transaction: the deliveries commit with the invoices, or not at all."""
    fields = ("pk", "number", "customer_id", "issued_on", "due_on", "total")

    def facts():
        for pk, number, customer, issued_on, due_on, total in Invoice.objects.filter(pk__in=invoice_ids).values_list(
            *fields
        ):
            data = {"invoice": pk, "number": number, "customer": customer, "issued_on": issued_on}
            yield str(pk), {**data, "due_on": due_on, "total": total}

    post(E.INVOICE_ISSUED, facts)


def payments_were_matched(sender, allocations, **kwargs):
    """One event per payment, named by its first allocation (a payment matched, undone and matched again
    is two events)."""
    by_payment = defaultdict(list)
    for allocation in allocations:
        by_payment[allocation.payment].append(allocation)

    def facts():
        for payment, rows in by_payment.items():
            booked = [
                {"id": r.pk, "invoice": r.invoice_id, "customer": r.customer_id, "kind": r.kind, "amount": r.amount}
                for r in rows
            ]
            data = {"payment": payment.pk, "customer": payment.customer_id, "amount": payment.amount}
            data |= {"received_on": payment.received_on, "allocations": booked}
            yield f"{payment.pk}:{min(row.pk for row in rows)}", data

    post(E.PAYMENT_MATCHED, facts)


def _outage(instance) -> dict:
    return {
        "outage": instance.pk,
        "started_at": instance.started_at,
        "ended_at": instance.ended_at,
        "cause": instance.cause,
        "state": instance.state,
        "origin": instance.origin,
        "excluded": instance.excluded,
    }


def outage_opened(sender, instance, **kwargs):
    post(E.OUTAGE_OPENED, lambda: [(str(instance.pk), _outage(instance))])


def outage_closed(sender, instance, **kwargs):
    """Named by its end: an outage a flap reopened closes again at another moment."""
    post(E.OUTAGE_CLOSED, lambda: [(f"{instance.pk}:{instance.ended_at:%Y%m%dT%H%M%S}", _outage(instance))])


def job_finished(sender, instance, **kwargs):
    """Each end of a job (a failed job retried ends again), named by its attempt."""
    job = instance
    data = {"job": job.pk, "kind": job.kind, "description": job.description, "state": job.state}
    data |= {"result": job.result, "error": job.error[:500], "attempts": job.attempts}
    post(E.JOB_FINISHED, lambda: [(f"{job.pk}:{job.attempts}", data)])


RECEIVERS = [
    (contract_signals.accepted, contract_accepted),
    (contract_signals.change_accepted, contract_changed),
    (contract_signals.terminated, contract_ended),
    (invoices_issued, invoices_were_issued),
    (receivable_signals.payments_matched, payments_were_matched),
    (sla_signals.outage_opened, outage_opened),
    (sla_signals.outage_closed, outage_closed),
    (job_signals.finished, job_finished),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"api.webhooks.{receiver.__name__}")
