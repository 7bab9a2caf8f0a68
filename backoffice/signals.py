"""Sending an app's signals once the transaction commits: a receiver never hears of a change that was rolled
back, and never runs inside it (contracts, receivables, SLA and jobs send theirs so)."""

from django.db import transaction
from django.dispatch import Signal


def send_on_commit(signal: Signal, instance, **kwargs) -> None:
    """Send ``signal`` for ``instance`` when the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=type(instance), instance=instance, **kwargs))
