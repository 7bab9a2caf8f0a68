"""End to end: contracts imported after their months were closed are billed in full, each yen on one invoice.

January to March 2025 are run and closed while nothing is known; then the example file of every service
(options, ISP areas, cancellations, legacy rows) is imported with its dates in those months; April, May
and June are run and closed in turn. What billing's own source owes month by month, and the router
rental cancellation fees, must each be on exactly one line, for exactly that amount.
"""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from backoffice.months import Month
from billing.contract_charges import contract_charges
from billing.models import InvoiceLine
from equipment.billing_source import cancellation_fees
from tests.billing.helpers import bill, bill_and_close

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "contracts.json"
MONTHS = [Month(2025, n) for n in range(1, 7)]


def owed() -> dict[str, int]:
    """``{key: amount}`` of everything billed as if each row had been known in time."""
    amounts = {charge.source_key: charge.amount for month in MONTHS for charge in contract_charges(month)}
    amounts |= {charge.source_key: charge.amount for charge in cancellation_fees(MONTHS[-1])}
    return {key: amount for key, amount in amounts.items() if amount}


def test_contracts_imported_after_their_months_closed_are_billed_once_each(tmp_path):
    for month in MONTHS[:3]:
        bill_and_close(month.year, month.month)
    call_command("import_contracts", str(EXAMPLE), stdout=(tmp_path / "out").open("w"))
    expected = owed()
    assert any(key.endswith(":2025-01") for key in expected)  # the file reaches into the closed months
    for month in MONTHS[3:5]:
        bill_and_close(month.year, month.month)
    bill(2025, 6)
    lines = InvoiceLine.objects.select_related("month")
    billed = Counter(line.source_key for line in lines)
    assert [key for key, times in billed.items() if times > 1] == []  # no key on two invoices
    assert {line.source_key: line.amount for line in lines} == expected
    late = [line for line in lines if line.occurred_on < line.month.month]
    assert late and all(line.month.month == MONTHS[3].first_day for line in late)  # all caught up in April
    assert not lines.filter(month__month__lt=MONTHS[3].first_day).exists()  # the closed months stay as issued
