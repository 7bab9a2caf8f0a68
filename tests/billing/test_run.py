"""The monthly run: idempotent, safe to rerun after a crash, set-based, and open to other apps' sources."""

import io
from datetime import date as D

import pytest
from django.core.management import call_command

from billing import run, sources
from billing.models import BillingMonth, Invoice, InvoiceLine
from billing.preview import preview
from billing.sources import Charge, FeeKind
from contracts.choices import ServiceCode
from tests import factories as f

from .helpers import bill, bill_and_close, ended, in_service, lines_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _customers_with_contracts(n: int) -> list:
    return [in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15)) for _ in range(n)]


def test_one_invoice_per_customer_and_a_line_per_charge_with_history(staff):
    cust = f.customer()
    a = in_service(cust=cust, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    b = in_service(ServiceCode.MANAGED_ROUTER, cust=cust, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 1))
    month = bill(2025, 2, by=staff)
    invoice = Invoice.objects.get(month=month)
    assert invoice.customer == cust
    assert set(invoice.lines.values_list("source_key", flat=True)) == {
        f"contract:{a.pk}:monthly",
        f"contract:{b.pk}:monthly",
        f"contract:{b.pk}:initial",
    }
    assert invoice.history.get().history_user == staff
    assert InvoiceLine.history.filter(history_user=staff).count() == 3
    assert month.last_run_by == staff


def test_a_second_run_adds_nothing():
    _customers_with_contracts(3)
    month = bill(2025, 2)
    before = (Invoice.objects.count(), InvoiceLine.objects.count(), InvoiceLine.history.count())
    result = run.run_month(month)
    assert (result.invoices_created, result.lines_created) == (0, 0)
    assert (Invoice.objects.count(), InvoiceLine.objects.count(), InvoiceLine.history.count()) == before


def test_a_crash_after_the_first_batch_then_a_rerun_gives_every_line_once(monkeypatch):
    _customers_with_contracts(5)
    month = run.billing_month(2025, 2)
    real = run.write_batch
    calls = []

    def crash_after_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "write_batch", crash_after_first)
    with pytest.raises(RuntimeError):
        run.run_month(month, batch_size=2)
    assert InvoiceLine.objects.count() == 2  # the first batch was committed, the second never started
    monkeypatch.setattr(run, "write_batch", real)
    result = run.run_month(month, batch_size=2)
    assert result.lines_created == 3
    keys = list(InvoiceLine.objects.values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) == 5
    assert InvoiceLine.history.count() == 5  # history once per line created


@pytest.mark.parametrize("batch_size", [1000, 10])
def test_the_run_costs_a_fixed_number_of_queries_per_batch(django_assert_max_num_queries, batch_size):
    """The same ceiling for 5 and 50 contracts in one batch; with batches of 10, a fixed count per batch."""
    _customers_with_contracts(5)
    with django_assert_max_num_queries(40) as five:
        run.run_month(run.billing_month(2025, 2), batch_size=batch_size)
    _customers_with_contracts(45)
    with django_assert_max_num_queries(40 if batch_size == 1000 else 40 + 12 * 4) as fifty:
        run.run_month(run.billing_month(2025, 3), batch_size=batch_size)
    if batch_size == 1000:
        assert len(fifty.captured_queries) == len(five.captured_queries)


def test_a_source_of_another_app_is_invoiced_exactly_once_across_months(monkeypatch):
    """A charge a source keeps offering until it is invoiced lands on one month's invoice only."""
    cust = f.customer()
    monkeypatch.setattr(sources, "_sources", dict(sources.registered()))

    def equipment_like(period):
        if period.last_day >= D(2025, 2, 10):
            yield Charge("test.charge:1", cust.pk, FeeKind.ONE_TIME, "紛失負担金", 20_000, D(2025, 2, 10))
        yield Charge("test.credit:1", cust.pk, FeeKind.CREDIT, "SLA返金", -1_500, D(2025, 1, 5))

    sources.register("tests.equipment_like", equipment_like)
    january, february, march = bill(2025, 1), bill(2025, 2), bill(2025, 3)
    assert lines_of(january) == {"test.credit:1": -1_500}
    assert lines_of(february) == {"test.charge:1": 20_000}
    assert lines_of(march) == {}


def test_a_closed_month_is_not_run_again():
    _customers_with_contracts(1)
    month = bill_and_close(2025, 2)
    with pytest.raises(Exception, match="closed"):
        run.run_month(month)


def test_the_dry_run_writes_nothing_and_compares_with_the_previous_month():
    staying, ending = _customers_with_contracts(2)
    bill(2025, 2)
    ended(ending, on=D(2025, 2, 28))
    newcomer = in_service(accepted_on=D(2025, 3, 1), billing_on=D(2025, 3, 16), monthly_fee=31_000)
    before = (BillingMonth.objects.count(), InvoiceLine.objects.count())
    march = BillingMonth(month=D(2025, 3, 1))
    result = preview(march)
    assert (BillingMonth.objects.count(), InvoiceLine.objects.count()) == before
    assert [key for key, _ in result.new] == [f"contract:{newcomer.pk}"]
    assert [key for key, _ in result.ended] == [f"contract:{ending.pk}"]
    assert result.changed == []
    assert {charge.source_key for charge in result.charges} >= {f"contract:{staying.pk}:monthly"}


def test_the_dry_run_shows_a_changed_amount():
    c = in_service(accepted_on=D(2025, 2, 10), billing_on=D(2025, 2, 11), monthly_fee=28_000)
    bill(2025, 2)  # 18 of 28 days
    [(key, before, now)] = preview(BillingMonth(month=D(2025, 3, 1))).changed
    assert (key, now) == (f"contract:{c.pk}", 28_000)
    assert before == 18_000 + c.initial_fee


def test_the_commands_run_and_dry_run():
    _customers_with_contracts(2)
    out, err = io.StringIO(), io.StringIO()
    call_command("run_billing", "--month", "2025-02", "--dry-run", stdout=out, stderr=err)
    assert "nothing written" in out.getvalue()
    assert not BillingMonth.objects.exists()
    call_command("run_billing", "--month", "2025-02", stdout=out, stderr=err)
    assert "2 invoices and 2 lines added" in out.getvalue()
    assert "1/1 batches" in err.getvalue()
    call_command("close_billing_month", "--month", "2025-02", "--issued-on", "2025-03-01", stdout=out)
    assert "2 invoices issued" in out.getvalue()
    assert BillingMonth.objects.get().is_closed
