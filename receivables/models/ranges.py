"""The ranges of receivables' amounts: a bank's amount field holds up to 12 digits (入出金取引明細)."""

from backoffice.ranges import Range

#: A payment, an allocation: a positive whole number of yen.
RECEIVED_YEN = Range(1, 999_999_999_999, money=True)
#: What a payment or a credit has spent so far.
SPENT_YEN = Range(0, RECEIVED_YEN.high, money=True)
