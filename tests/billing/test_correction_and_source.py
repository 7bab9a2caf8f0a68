"""A correction and a fix at its source never count twice (issue 25, item 3).

January is billed 31,000円 (a 31,000円 monthly fee, the whole month); staff correct the line to 15,500円;
the source is then fixed so January owes 15,500円. What has been charged for the source, every adjustment
included, is one answer (``billing.charged``) for the run and the correction alike: January nets 15,500円
once, whichever comes first.
"""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from billing.closing import close_month
from billing.corrections import correct_line
from billing.models import Invoice, InvoiceLine
from billing.prices import agree_price
from billing.run import plan, run_month
from contracts.models import OneTimeFee, OneTimeFeeKind

from .helpers import bill, bill_and_close, in_service, lines_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def fix_at_source(contract, amount: int) -> None:
    """The source made to owe ``amount`` a month from January on (a price agreed for January, on purpose)."""
    agree_price(
        contract, valid_from=D(2025, 1, 1), monthly_fee=amount, reason="price agreed for January", retroactive=True
    )


def january_contract():
    """A contract billed 31,000円 for January (31 days at 1,000円), January closed; its January line."""
    contract = in_service(accepted_on=D(2024, 12, 20), billing_on=D(2025, 1, 1), monthly_fee=31_000)
    january = bill_and_close(2025, 1)
    line = InvoiceLine.objects.get(month=january, source_key=f"contract:{contract.pk}:monthly:2025-01")
    assert line.amount == 31_000
    return contract, line


def net(line) -> int:
    """What the customer is charged for ``line`` now: it, the run's adjustments and staff's corrections."""
    return line.amount + (InvoiceLine.objects.filter(adjusts=line).aggregate(total=Sum("amount"))["total"] or 0)


def touch(contract, on: D) -> OneTimeFee:
    """A row recorded on the contract after January closed: the run derives January's charges again."""
    return OneTimeFee.objects.create(
        contract=contract, kind=OneTimeFeeKind.TRAVEL, incurred_on=on, amount=5_000, reason="site visit"
    )


def assert_adds_up(month) -> None:
    """Each invoice of the closed ``month`` is the sum of its lines, and its total that plus the tax."""
    for invoice in Invoice.objects.filter(month=month):
        subtotal = InvoiceLine.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"]
        assert (invoice.subtotal, invoice.total) == (subtotal, subtotal + invoice.tax)


def test_the_issue_example_a_correction_then_the_fix_at_its_source(staff):
    contract, line = january_contract()
    key = line.source_key
    correction = correct_line(line, new_amount=15_500, reason="discount agreed by phone", by=staff)
    assert (correction.month.month, correction.amount) == (D(2025, 2, 1), -15_500)
    touch(contract, D(2025, 2, 3))  # the source still says 31,000: staff's correction stands
    february = bill(2025, 2)
    assert key not in lines_of(february)
    fix_at_source(contract, 15_500)
    run_month(february, by=staff)
    lines = lines_of(february)
    assert key not in lines  # no further January line: the correction already brought it to 15,500
    assert lines[f"adjustment:{line.pk}:1"] == -15_500  # staff's correction kept as entered
    assert lines[f"contract:{contract.pk}:monthly"] == 15_500
    assert net(line) == 15_500  # not 0
    run_month(february, by=staff)
    assert lines_of(february) == lines  # a second run changes nothing
    assert plan(february).is_current
    close_month(february, by=staff, issued_on=D(2025, 2, 28))  # closing derives the same plan
    assert_adds_up(february)
    assert Invoice.objects.get(month=february).subtotal == 15_500 - 15_500 + 5_000


def test_a_correction_issued_in_a_closed_month_then_the_fix(staff):
    contract, line = january_contract()
    correct_line(line, new_amount=15_500, reason="discount agreed by phone", by=staff)
    bill_and_close(2025, 2)  # the correction issued on February's invoice
    fix_at_source(contract, 15_500)
    march = bill(2025, 3)
    assert line.source_key not in lines_of(march)
    assert net(line) == 15_500
    run_month(march)
    close_month(march, issued_on=D(2025, 3, 31))
    assert_adds_up(march)


def test_correcting_after_the_fix_to_what_the_source_says_is_refused(staff):
    contract, line = january_contract()
    february = bill(2025, 2)  # a draft made before the fix
    fix_at_source(contract, 15_500)
    with pytest.raises(ValidationError, match="already charged 15,500"):
        correct_line(line, new_amount=15_500, reason="discount agreed by phone", by=staff)
    run_month(february)
    assert lines_of(february)[line.source_key] == -15_500  # the run bills the fix, once
    assert not InvoiceLine.objects.filter(adjusts=line, source_key__startswith="adjustment:").exists()
    close_month(february, issued_on=D(2025, 2, 28))
    assert net(line) == 15_500
    assert_adds_up(february)
    with pytest.raises(ValidationError, match="already charged 15,500"):
        correct_line(line, new_amount=15_500, reason="again")


def test_after_the_fix_a_correction_waits_for_it_to_be_issued(staff):
    """While the fix is not issued, the source rules the line: another amount is put right at the source.
    Once issued, a correction stands even when the run derives January again."""
    contract, line = january_contract()
    fix_at_source(contract, 15_500)
    with pytest.raises(ValidationError, match="at its source"):
        correct_line(line, new_amount=10_000, reason="goodwill", by=staff)
    assert not InvoiceLine.objects.filter(source_key__startswith="adjustment:").exists()
    bill_and_close(2025, 2)
    correction = correct_line(line, new_amount=10_000, reason="goodwill", by=staff)
    assert (correction.month.month, correction.amount) == (D(2025, 3, 1), -5_500)
    touch(contract, D(2025, 3, 3))
    march = bill(2025, 3)
    assert line.source_key not in lines_of(march)
    assert net(line) == 10_000


def test_a_fix_to_nothing_gives_back_what_is_left_after_a_correction(staff):
    """January owes nothing after staff halved its line: the run gives back 15,500, not 31,000."""
    contract, line = january_contract()
    correct_line(line, new_amount=15_500, reason="half month", by=staff)
    fix_at_source(contract, 0)
    february = bill(2025, 2)
    assert lines_of(february)[line.source_key] == -15_500
    assert net(line) == 0
