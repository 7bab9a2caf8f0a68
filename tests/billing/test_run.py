"""The monthly run: the open month as a draft reconciled with what is owed, atomic, set-based, and open to
other apps' sources."""

import io
from datetime import date as D

import pytest
from django.core.management import call_command

from backoffice.registry import registry
from billing import run
from billing.models import BillingMonth, Invoice, InvoiceLine
from billing.prices import agree_price
from billing.pricing import prorate
from billing.sources import Charge, FeeKind
from contracts.choices import ServiceCode, TerminationReason
from contracts.services import changes
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
        f"contract:{a.pk}:monthly:2025-02",
        f"contract:{b.pk}:monthly:2025-02",
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


def test_a_crash_halfway_leaves_nothing_and_a_rerun_writes_every_line_once(monkeypatch):
    _customers_with_contracts(5)
    month = run.billing_month(2025, 2)
    real = run.insert_with_history
    calls = []

    def crash_on_second_batch(model, *args, **kwargs):
        calls.append(model)
        if calls.count(InvoiceLine) == 2:
            raise RuntimeError("power cut")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(run, "BATCH_SIZE", 2)
    monkeypatch.setattr(run, "insert_with_history", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        run.run_month(month)
    assert InvoiceLine.objects.count() == Invoice.objects.count() == 0  # one transaction: nothing half-written
    monkeypatch.setattr(run, "insert_with_history", real)
    result = run.run_month(month)
    assert result.lines_created == 5
    keys = list(InvoiceLine.objects.values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) == 5
    assert InvoiceLine.history.count() == 5  # history once per line created


def test_the_run_costs_the_same_queries_for_5_and_50_contracts(django_assert_max_num_queries):
    _customers_with_contracts(5)
    month = run.billing_month(2025, 2)
    with django_assert_max_num_queries(45) as five:
        run.run_month(month)
    _customers_with_contracts(45)
    with django_assert_max_num_queries(45) as fifty:
        run.run_month(month)  # the 45 new ones added to the draft
    assert len(fifty.captured_queries) == len(five.captured_queries)


def test_a_source_of_another_app_is_invoiced_exactly_once_across_months():
    """A charge a source keeps offering until it is invoiced lands on one month's invoice only."""
    cust = f.customer()

    def equipment_like(period):
        if period.last_day >= D(2025, 2, 10):
            yield Charge("test.charge:1", cust.pk, FeeKind.ONE_TIME, "紛失負担金", 20_000, D(2025, 2, 10))
        yield Charge("test.credit:1", cust.pk, FeeKind.CREDIT, "SLA返金", -1_500, D(2025, 1, 5))

    with registry.kept():
        registry.register("charge_sources", equipment_like, name="tests.equipment_like")
        january, february, march = bill(2025, 1), bill(2025, 2), bill(2025, 3)
    assert lines_of(january) == {"test.credit:1": -1_500}
    assert lines_of(february) == {"test.charge:1": 20_000}
    assert lines_of(march) == {}


def test_a_closed_month_is_not_run_again():
    _customers_with_contracts(1)
    month = bill_and_close(2025, 2)
    with pytest.raises(Exception, match="closed"):
        run.run_month(month)


def test_the_dry_run_writes_nothing_and_shows_what_a_run_adds_changes_and_removes():
    staying, ending = _customers_with_contracts(2)
    newcomer = in_service(accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 16), monthly_fee=28_000)
    month = bill(2025, 2)
    ended(ending, on=D(2025, 1, 31), reason=TerminationReason.GT_ART28_2)  # recorded after the run
    agree_price(newcomer, valid_from=D(2025, 2, 1), reason="agreed discount", monthly_fee=14_000)
    other = in_service(accepted_on=D(2025, 2, 3), billing_on=D(2025, 3, 1))
    before = (InvoiceLine.objects.count(), InvoiceLine.history.count())
    result = run.plan(month)
    assert (InvoiceLine.objects.count(), InvoiceLine.history.count()) == before
    assert [line.source_key for line in result.add] == [f"contract:{other.pk}:initial"]
    assert [(old.source_key, old.amount, new.amount) for old, new in result.change] == [
        (f"contract:{newcomer.pk}:monthly:2025-02", 13 * 1_000, 13 * 500)
    ]
    assert [line.source_key for line in result.remove] == [f"contract:{ending.pk}:monthly:2025-02"]
    assert f"contract:{staying.pk}:monthly:2025-02" in result.owed
    run.run_month(month)
    assert run.plan(month).is_current
    lines = lines_of(month)
    assert lines[f"contract:{newcomer.pk}:monthly"] == 6_500
    assert f"contract:{ending.pk}:monthly" not in lines
    removed = InvoiceLine.history.get(source_key=f"contract:{ending.pk}:monthly:2025-02", history_type="-")
    assert removed.history_change_reason


def test_a_run_on_another_day_gives_the_same_invoice_when_a_count_changes_in_the_month(staff):
    isp = in_service(ServiceCode.ISP_PLATFORM, accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6))
    rental = f.option(isp, "isp_platform.router_rental", units=3, applied_on=D(2025, 1, 6))
    f.activate(rental, accepted_on=D(2025, 1, 6), billing_on=D(2025, 1, 6))
    january = bill(2025, 1)
    first = lines_of(january)
    changes.accept_change(rental, on=D(2025, 2, 10), by=staff, units=5)  # after January: it bills 3 routers
    run.run_month(january)
    assert lines_of(january) == first
    assert lines_of(january)[f"option:{rental.pk}:monthly"] == 3 * prorate(
        rental.monthly_fee, D(2025, 1, 6), D(2025, 1, 31)
    )
    february = bill(2025, 2)
    assert lines_of(february)[f"option:{rental.pk}:monthly"] == 5 * rental.monthly_fee


def test_the_commands_run_and_dry_run():
    _customers_with_contracts(2)
    out, err = io.StringIO(), io.StringIO()
    call_command("run_billing", "--month", "2025-02", "--dry-run", stdout=out, stderr=err)
    assert "nothing written" in out.getvalue()
    assert not BillingMonth.objects.exists()
    call_command("run_billing", "--month", "2025-02", stdout=out, stderr=err)
    assert "2 invoices opened, 2 lines added, 0 changed, 0 removed" in out.getvalue()
    assert "1/1 batches" in err.getvalue()
    call_command("close_billing_month", "--month", "2025-02", "--issued-on", "2025-03-01", "--render", stdout=out)
    assert "2 invoices issued" in out.getvalue() and "2 documents rendered and verified" in out.getvalue()
    assert BillingMonth.objects.get().is_closed
