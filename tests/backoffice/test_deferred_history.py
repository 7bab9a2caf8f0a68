"""``backoffice.deferred_history``: history rows built at each save, written together at the flush."""

import threading
from types import SimpleNamespace

import pytest
from django.db import transaction

from backoffice.deferred_history import deferred_history
from customers.models import Customer
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


def test_another_threads_saves_are_not_kept():
    """The signal is process-wide: a save of another thread belongs to another transaction."""
    other = SimpleNamespace(save=None)
    with deferred_history() as history:
        thread = threading.Thread(target=history.keep, kwargs={"sender": None, "history_instance": other})
        thread.start()
        thread.join()

    assert other.save is None and history.mark() == 0
