"""What billing tells the apps whose charges it invoices.

- ``charges_invoiced``: sent once a month is closed (on commit), with ``sender`` = the ``Period``
  and ``lines`` = a mapping ``source_key -> (invoice_number, issued_on)`` of every line issued that
  month, so a source's app can mark its charges invoiced.
- ``invoices_issued``: sent inside the closing's transaction, with ``sender`` = the ``BillingMonth``,
  ``invoice_ids`` and ``by``: a receiver that fails fails the closing, so what it keeps of each issued
  invoice (receivables: its balance) exists exactly when the invoice does.
"""

from django.dispatch import Signal

charges_invoiced = Signal()
invoices_issued = Signal()
