"""``backoffice.moves.move``: the status move later apps call with their own transition table."""

import pytest
from django.db import transaction

from backoffice.exceptions import InvalidTransition
from backoffice.moves import lock_for_move, move, move_all
from contracts.choices import ServiceCode, Status
from contracts.importer.job import CONTRACT_IMPORT
from jobs.models import Job, JobState
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


def _job(state, **kw):
    return Job.objects.create(kind=CONTRACT_IMPORT.name, description="test", state=state, **kw)


def test_moving_a_set_checks_every_row_before_writing_any_and_records_each(staff):
    queued, failed = _job(JobState.QUEUED), _job(JobState.FAILED)
    done = _job(JobState.DONE)
    with pytest.raises(InvalidTransition):
        move_all(Job.objects.all(), JobState.RUNNING, by=staff, reason="all", changes=lambda row: {})
    assert list(Job.objects.order_by("pk").values_list("state", flat=True)) == ["queued", "failed", "done"]

    moved = move_all(
        Job.objects.exclude(pk=done.pk),
        JobState.RUNNING,
        by=staff,
        reason=lambda row: f"job {row.pk}",
        changes=lambda row: {"error": f"e{row.pk}"},
    )
    assert moved == [queued, failed]
    for row in (queued, failed):
        row.refresh_from_db()
        record = row.history.latest()
        assert (row.state, row.error) == (JobState.RUNNING, f"e{row.pk}")
        assert (record.state, record.history_user, record.history_change_reason) == ("running", staff, f"job {row.pk}")


def test_a_move_asked_twice_leaves_a_live_claim_takes_over_a_silent_one_and_stops_once_moved_past():
    lively, silent, done = _job(JobState.RUNNING), _job(JobState.RUNNING), _job(JobState.DONE)
    with transaction.atomic():
        assert lock_for_move(lively, JobState.RUNNING, live=lambda row: row.pk == lively.pk) is None
        assert lock_for_move(silent, JobState.RUNNING, live=lambda row: row.pk == lively.pk) == silent
        assert lock_for_move(done, JobState.RUNNING, live=lambda row: False) is None
        assert lock_for_move(silent, JobState.FAILED) == silent
