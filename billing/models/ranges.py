"""The ranges of billing's numbers: signed amounts (credits and corrections are negative), tax rates."""

from backoffice.ranges import Range

#: A line or invoice amount in yen, before or after tax; negative for credits and downward corrections.
SIGNED_YEN = Range(-999_999_999, 999_999_999)
#: A consumption tax rate in percent (10 today; 8 for the reduced rate).
TAX_PERCENT = Range(0, 100)
#: A quantity on a line (lines, routers, 100 Mbps units).
QUANTITY = Range(1, 10_000_000)
#: A sequential invoice number.
INVOICE_NUMBER = Range(1, 999_999_999)
#: The counter of invoice numbers: 0 before the first invoice.
LAST_NUMBER = Range(0, INVOICE_NUMBER.high)
