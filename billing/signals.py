"""What billing tells the apps whose charges it invoices.

- ``charges_invoiced``: sent once a month is closed (on commit), with ``sender`` = the ``Period``
  and ``lines`` = a mapping ``source_key -> (invoice_number, issued_on)`` of every line issued that
  month, so a source's app can mark its charges invoiced.
"""

from django.dispatch import Signal

charges_invoiced = Signal()
