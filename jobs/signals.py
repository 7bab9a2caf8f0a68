"""What the jobs app tells the other apps (the API's webhooks), once the transaction commits.

- ``finished``: ``sender`` = ``Job``, ``instance`` = the job as it ended, done or failed (a failed job retried
  ends again: each end is sent).
"""

from django.dispatch import Signal

finished = Signal()
