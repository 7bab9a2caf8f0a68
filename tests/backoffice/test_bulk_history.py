"""``backoffice.bulk_history``: history rows of many rows written together, as a plain save writes them."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from backoffice.bulk_history import deferred_history, insert_with_history, record_history, update_with_history
from customers.choices import RelatedKind
from customers.models import Customer, RelatedContract
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_rows_are_kept_until_the_flush_then_written_as_they_were_at_each_save(staff):
    with deferred_history() as history:
        customer = f.customer(name="旧社名")
        customer.name, customer._history_user, customer._change_reason = "新社名", staff, "renamed"
        customer.save()
        assert not Customer.history.exists()
        history.flush()

    first, second = Customer.history.filter(id=customer.pk).order_by("history_id")
    assert (first.history_type, first.name) == ("+", "旧社名")
    assert (second.history_type, second.name, second.history_user, second.history_change_reason) == (
        "~",
        "新社名",
        staff,
        "renamed",
    )
    assert first.history_date < second.history_date


def test_rows_built_under_a_savepoint_rolled_back_are_dropped():
    with deferred_history() as history:
        kept = f.customer(code="K0000001")
        mark = history.mark()
        with pytest.raises(RuntimeError), transaction.atomic():
            f.customer(code="K0000002")
            raise RuntimeError("refused")
        history.drop_since(mark)
        history.flush()

    assert list(Customer.history.values_list("code", flat=True)) == [kept.code]


def test_outside_the_block_saves_write_their_history_at_once_and_unflushed_rows_are_lost():
    with deferred_history():
        f.customer(code="K0000001")
    f.customer(code="K0000002")

    assert list(Customer.history.values_list("code", flat=True)) == ["K0000002"]


def test_a_row_saved_in_the_block_writes_its_history_again_once_the_block_ended():
    with deferred_history():
        customer = f.customer()
    customer.save()

    assert list(Customer.history.values_list("history_type", flat=True)) == ["~"]


def test_a_save_its_caller_keeps_out_of_history_stays_out():
    with deferred_history() as history:
        customer = f.customer()
        customer.name = "改名"
        customer.save_without_historical_record()
        history.flush()

    assert list(Customer.history.values_list("history_type", flat=True)) == ["+"]


def test_each_row_kept_is_stamped_and_so_is_a_deletion_written_in_the_block(staff):
    def stamp(row):
        row.history_user, row.history_change_reason = staff, f"stamped {row.history_change_reason}"

    customer = f.customer()
    with deferred_history(stamp) as history:
        related = f.related(customer, RelatedKind.PBB)
        related._change_reason = "ended"
        related.delete()
        history.flush()

    assert sorted(RelatedContract.history.values_list("history_type", "history_user", "history_change_reason")) == [
        ("+", staff.pk, "stamped None"),
        ("-", staff.pk, "stamped ended"),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_blocks_in_one_process_keep_and_stamp_only_their_own_thread_s_saves():
    """Two imports at once in one process (two threads): each block takes its own thread's saves only,
    and one ending does not end the other."""
    second_saved, first_done = threading.Event(), threading.Event()
    codes = {}

    def write(name: str, meanwhile) -> None:
        with deferred_history(lambda row: setattr(row, "history_change_reason", name)) as history:
            codes[name] = f.customer().code
            meanwhile()
            codes[f"{name}, later"] = f.customer().code
            history.flush()

    def second():
        try:
            write("second", lambda: (second_saved.set(), first_done.wait(10)))
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    write("first", lambda: (thread.start(), second_saved.wait(10)))
    first_done.set()
    thread.join()

    reasons = dict(Customer.history.values_list("code", "history_change_reason"))
    assert reasons == {code: label.split(",")[0] for label, code in codes.items()}


# simple-history's upgrades: each writer stores what a plain save stores, field for field.


def _stored(row, *leave_out: str) -> dict:
    """Every column of a history row but its own id and the row's (user, reason, type, date, tracked fields)."""
    fields = [field for field in row._meta.concrete_fields if field.name not in {"history_id", "id", *leave_out}]
    assert {"history_user", "history_change_reason", "history_type"} <= {field.name for field in fields}
    return {field.attname: getattr(row, field.attname) for field in fields}


def _saved_plainly(row: RelatedContract, *, by, reason, on=None) -> RelatedContract:
    row._history_user, row._change_reason = by, reason
    if on:
        row._history_date = on
    row.save()
    return row.history.latest()


def _related(customer, **kw) -> RelatedContract:
    return RelatedContract(customer=customer, kind=RelatedKind.PBB, started_on=date(2020, 1, 1), **kw)


def test_a_deferred_row_is_the_row_a_plain_save_stores(staff):
    on = datetime(2025, 4, 1, 9, tzinfo=UTC)
    customer = f.customer()
    plain = _related(customer, closed_network="CN1")
    created_plainly = _saved_plainly(plain, by=staff, reason="entered", on=on)
    plain.reference = "R-2"
    changed_plainly = _saved_plainly(plain, by=staff, reason="changed", on=on + timedelta(days=1))
    with deferred_history() as history:
        deferred = _related(customer, closed_network="CN1")
        deferred._history_user, deferred._change_reason, deferred._history_date = staff, "entered", on
        deferred.save()
        deferred.reference = "R-2"
        deferred._change_reason, deferred._history_date = "changed", on + timedelta(days=1)
        deferred.save()
        history.flush()

    created, changed = deferred.history.order_by("history_id")
    assert _stored(created) == _stored(created_plainly)
    assert _stored(changed) == _stored(changed_plainly)
    assert (created.history_type, changed.history_type, changed.history_user) == ("+", "~", staff)


def test_rows_inserted_updated_or_recorded_in_bulk_are_the_rows_a_plain_save_stores(staff):
    customer = f.customer()
    before = timezone.now()
    plain = _related(customer, reference="R-1", closed_network="CN1")
    created_plainly = _saved_plainly(plain, by=staff, reason="entered")
    plain.ended_on = date(2025, 3, 31)
    changed_plainly = _saved_plainly(plain, by=staff, reason="ended")
    inserted = [_related(customer, reference="R-1", closed_network="CN1")]
    insert_with_history(RelatedContract, inserted, by=staff, reason="entered")
    inserted[0].ended_on = date(2025, 3, 31)
    update_with_history(RelatedContract, inserted, ["ended_on"], by=staff, reason="ended")
    record_history(RelatedContract.objects.filter(pk=inserted[0].pk), by=staff, reason="ended")
    after = timezone.now()

    created, updated, recorded = RelatedContract.history.filter(id=inserted[0].pk).order_by("history_id")
    assert _stored(created, "history_date") == _stored(created_plainly, "history_date")
    assert _stored(updated, "history_date") == _stored(changed_plainly, "history_date")
    assert _stored(recorded, "history_date") == _stored(changed_plainly, "history_date")
    assert all(before <= row.history_date <= after for row in (created, updated, recorded))
