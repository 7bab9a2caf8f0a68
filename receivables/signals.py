"""What receivables tells the other apps (the API's webhooks), once the transaction commits.

- ``payments_matched``: ``sender`` = ``Payment``, ``allocations`` = the ``Allocation`` rows a match booked
  (one payment's when staff match it, many payments' in an automatic batch), each naming its payment, its
  invoice (none for a credit) and its customer.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Payment

payments_matched = Signal()


def send_matched(allocations: list) -> None:
    """Send ``payments_matched`` for ``allocations`` when the current transaction commits."""
    if allocations:
        transaction.on_commit(lambda: payments_matched.send(sender=Payment, allocations=allocations))
