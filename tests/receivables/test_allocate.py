"""How an amount is spread over invoices and which invoices it agrees with (pure; a table of cases)."""

import pytest

from receivables.allocate import Booking, agreeing, spread
from receivables.choices import AllocationKind as K

FEE = 880


@pytest.mark.parametrize(
    "amount, balances, expected",
    [
        (11_000, [(1, 11_000)], [Booking(1, K.PAYMENT, 11_000)]),
        (10_340, [(1, 11_000)], [Booking(1, K.PAYMENT, 10_340), Booking(1, K.TRANSFER_FEE, 660)]),
        (10_120, [(1, 11_000)], [Booking(1, K.PAYMENT, 10_120), Booking(1, K.TRANSFER_FEE, 880)]),
        (10_119, [(1, 11_000)], [Booking(1, K.PAYMENT, 10_119)]),  # 881 short: partly paid, no fee
        (5_000, [(1, 11_000)], [Booking(1, K.PAYMENT, 5_000)]),
        (15_000, [(1, 11_000)], [Booking(1, K.PAYMENT, 11_000), Booking(None, K.CREDIT, 4_000)]),
        (
            21_560,
            [(1, 11_000), (2, 11_000)],
            [Booking(1, K.PAYMENT, 11_000), Booking(2, K.PAYMENT, 10_560), Booking(2, K.TRANSFER_FEE, 440)],
        ),
        (10_560, [(1, 11_000), (2, 11_000)], [Booking(1, K.PAYMENT, 10_560)]),  # a fee only when all are paid
        (3_000, [(1, 0), (2, 5_000)], [Booking(2, K.PAYMENT, 3_000)]),
        (3_000, [], [Booking(None, K.CREDIT, 3_000)]),
    ],
)
def test_spread(amount, balances, expected):
    assert spread(amount, balances, tolerance=FEE) == expected


def test_spread_without_the_fee_leaves_the_invoice_partly_paid():
    assert spread(10_340, [(1, 11_000)], tolerance=FEE, book_fee=False) == [Booking(1, K.PAYMENT, 10_340)]


@pytest.mark.parametrize(
    "amount, balances, expected",
    [
        (11_000, [(1, 22_000), (2, 11_000)], [2]),  # one invoice, exact
        (10_560, [(1, 11_000), (2, 22_000)], [1]),  # one invoice, short by a fee
        (33_000, [(1, 11_000), (2, 22_000), (3, 5_500)], [1, 2]),  # the oldest in a run
        (16_500, [(1, 11_000), (2, 22_000), (3, 5_500)], [1, 3]),  # a set of them
        (12_000, [(1, 11_000)], None),  # more than owed: not automatic
        (5_000, [(1, 11_000)], None),  # less, beyond the fee: not automatic
    ],
)
def test_agreeing(amount, balances, expected):
    assert agreeing(amount, balances, tolerance=FEE) == expected
