"""What the SLA app tells the other apps (the API's webhooks), once the transaction commits.

- ``outage_recorded``: ``sender`` = ``Outage``, ``instance`` = the new outage. An outage is recorded once it
  has ended (docs/decisions.md), so it is known from the start with its start and its end.
"""

from django.dispatch import Signal

outage_recorded = Signal()
