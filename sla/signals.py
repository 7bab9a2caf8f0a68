"""What the SLA app tells the other apps (the API's webhooks), once the transaction commits.

``sender`` = ``Outage``, ``instance`` = the outage:

- ``outage_opened``: an outage began: staff recorded one (once ended), or the monitoring's alerts opened one.
- ``outage_closed``: it ended: at once for one staff recorded; when the alerts resolve for one they opened
  (again, should a flap reopen it).
"""

from django.dispatch import Signal

outage_opened = Signal()
outage_closed = Signal()
