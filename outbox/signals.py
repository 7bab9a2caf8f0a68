"""What the outbox tells the apps whose messages it sends.

- ``sent``: ``sender`` = ``Message``, ``message`` = the row just marked sent, inside the transaction that marks
  it: a receiver's writes (the moment a failure notice was given) commit with it or not at all.
"""

from django.dispatch import Signal

sent = Signal()
