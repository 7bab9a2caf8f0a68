"""``backoffice.moves.move``: the status move later apps call with their own transition table."""

import pytest

from backoffice.exceptions import InvalidTransition
from backoffice.moves import move
from contracts.choices import ServiceCode, Status
from tests import factories as f

pytestmark = pytest.mark.django_db

#: A table of the caller's own: an application may only be withdrawn.
TABLE = {Status.APPLIED: {Status.WITHDRAWN}}


def test_move_applies_the_callers_table_and_records_user_and_reason(staff):
    contract = f.contract(ServiceCode.CXM2)

    row = move(contract, Status.WITHDRAWN, transitions=TABLE, by=staff, reason="test move", note="moved")

    assert (row.status, contract.status, contract.note) == (Status.WITHDRAWN, Status.WITHDRAWN, "moved")
    record = contract.history.latest()
    assert (record.history_user, record.history_change_reason) == (staff, "test move")


def test_move_outside_the_table_is_refused_and_changes_nothing(staff):
    contract = f.contract(ServiceCode.CXM2)
    versions = contract.history.count()

    with pytest.raises(InvalidTransition):
        move(contract, Status.ACCEPTED, transitions=TABLE, by=staff, reason="not allowed")

    contract.refresh_from_db()
    assert contract.status == Status.APPLIED
    assert contract.history.count() == versions
