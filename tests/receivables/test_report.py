"""The monthly report's receivables: the aging on the month's last day and the month's payments."""

from datetime import date as D

import pytest

from receivables.services.allocations import match
from receivables.services.payments import record_payment
from tests.reports.files import table, workbook

pytestmark = pytest.mark.django_db


def test_the_report_ages_what_was_owed_at_the_month_end(issue, yamada, sato, tmp_path):
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))  # due 2025-03-31
    match(record_payment(received_on=D(2025, 3, 25), amount=10_340, payer_name="ﾔﾏﾀﾞ"), [bills[yamada]], reason="x")
    # paid in April: still owed at the end of March
    match(record_payment(received_on=D(2025, 4, 2), amount=5_500, payer_name="ｻﾄｳ"), [bills[sato]], reason="x")
    book = workbook(tmp_path, month="2025-03")
    aging = {row[0]: row[1] for row in table(book["Aging of receivables"])[1:]}
    assert aging == {"not yet due": 5_500, "1–30 days": 0, "31–60 days": 0, "61–90 days": 0, "over 90 days": 0,
                     "total": 5_500}  # fmt: skip
    summary = {row[0]: row[1:] for row in table(book.worksheets[0])[1:]}
    assert summary["Payments received"] == [1, 10_340]
    assert summary["Transfer fees deducted by payers"][1] == 660
    assert summary["Owed on issued invoices at the month's end"][1] == 5_500
