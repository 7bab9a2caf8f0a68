"""The lifecycle service: legal and illegal moves, computed dates, frozen terms, history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from backoffice.exceptions import InvalidTransition
from contracts.choices import ALLOWED_MOVES, ServiceCode, Status, TerminationReason
from contracts.models import Contract, Item
from contracts.services import lifecycle
from tests import factories as f

pytestmark = pytest.mark.django_db

D = date


def test_accept_freezes_catalog_terms_and_later_catalog_edits_do_not_reach_the_contract(staff):
    c = f.contract(ServiceCode.MANAGED_ROUTER)
    lifecycle.accept(c, on=D(2025, 1, 10), by=staff)
    assert (c.status, c.accepted_on) == (Status.ACCEPTED, D(2025, 1, 10))
    assert (c.min_months, c.notice_days, c.prorated) == (12, 45, True)
    assert c.monthly_fee == c.item.monthly_fee

    Item.objects.filter(pk=c.item_id).update(monthly_fee=999_999, min_months=24)
    c.refresh_from_db()
    assert c.monthly_fee != 999_999 and c.min_months == 12


def test_accept_with_agreed_prices_overrides_list_prices(staff):
    c = f.contract(ServiceCode.CXM2)
    lifecycle.accept(c, on=D(2025, 1, 10), by=staff, initial_fee=0, monthly_fee=55_000)
    assert (c.initial_fee, c.monthly_fee) == (0, 55_000)


@pytest.mark.parametrize(
    ("billing_on", "months", "expected_end"),
    [
        (D(2025, 1, 15), 1, D(2025, 2, 14)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 1, 1), 1, D(2025, 1, 31)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
    ],
    ids=["mid-month", "jan31", "jan31-leap", "mar31", "first-of-month", "leap-day-1-year"],
)
def test_billing_start_computes_minimum_period_end_spec_examples(staff, billing_on, months, expected_end):
    service = ServiceCode.MANAGED_ROUTER if months == 12 else ServiceCode.CXM2
    c = f.contract(service, applied_on=D(2024, 1, 1))
    f.activate(c, accepted_on=D(2024, 1, 2), billing_on=billing_on, by=staff)
    assert c.min_period_start_on == billing_on
    assert c.min_period_end_on == expected_end


@pytest.mark.parametrize(
    ("service", "received", "requested", "expected"),
    [
        (ServiceCode.CXM2, D(2025, 3, 1), None, D(2025, 3, 31)),
        (ServiceCode.CXM2, D(2025, 3, 1), D(2025, 3, 15), D(2025, 3, 31)),
        (ServiceCode.CXM2, D(2025, 3, 1), D(2025, 4, 30), D(2025, 4, 30)),
        (ServiceCode.MANAGED_ROUTER, D(2025, 3, 1), None, D(2025, 4, 15)),
        (ServiceCode.ISP_PLATFORM, D(2025, 12, 15), None, D(2026, 1, 14)),
    ],
    ids=["30-days", "requested-earlier", "requested-later", "router-45-days", "over-year-end"],
)
def test_notice_computes_effective_end(staff, service, received, requested, expected):
    c = f.activate(f.contract(service), by=staff)
    lifecycle.register_notice(c, received_on=received, requested_on=requested, by=staff)
    assert c.status == Status.CANCELLING
    assert c.effective_end_on == expected


@translation.override("en")
def test_full_lifecycle_to_termination_and_history_with_user(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)
    lifecycle.terminate(c, on=D(2025, 3, 31), by=staff)
    assert (c.status, c.terminated_on, c.termination_reason) == (
        Status.TERMINATED,
        D(2025, 3, 31),
        TerminationReason.CUSTOMER_REQUEST,
    )
    records = list(c.history.order_by("history_id"))
    assert [r.status for r in records] == ["applied", "accepted", "active", "cancelling", "terminated"]
    assert all(r.history_user == staff for r in records[1:])
    assert str(TerminationReason.CUSTOMER_REQUEST.label) in records[-1].history_change_reason


def test_customer_request_cannot_end_before_effective_date(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)
    with pytest.raises(InvalidTransition):
        lifecycle.terminate(c, on=D(2025, 3, 30), by=staff)
    c.refresh_from_db()
    assert c.status == Status.CANCELLING


def test_customer_request_needs_a_notice_first(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    with pytest.raises(InvalidTransition):
        lifecycle.terminate(c, on=D(2025, 6, 1), by=staff)


def test_provider_side_termination_ends_at_once_with_options(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    napt = f.activate(f.option(c, "cxm2.napt"), by=staff)
    lifecycle.terminate(c, on=D(2025, 2, 1), reason=TerminationReason.GT_ART28_2, by=staff)
    napt.refresh_from_db()
    assert (napt.status, napt.terminated_on, napt.termination_reason) == (
        Status.TERMINATED,
        D(2025, 2, 1),
        TerminationReason.GT_ART28_2,
    )


def test_withdraw_notice_returns_to_service(staff, today):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)
    today(D(2025, 3, 31))  # the last day of service: still pending
    lifecycle.withdraw_notice(c, by=staff)
    assert (c.status, c.notice_received_on, c.effective_end_on) == (Status.ACTIVE, None, None)


ILLEGAL = [
    (Status.APPLIED, "start_billing"),
    (Status.APPLIED, "register_notice"),
    (Status.APPLIED, "withdraw_notice"),
    (Status.ACCEPTED, "accept"),
    (Status.ACCEPTED, "withdraw"),
    (Status.ACTIVE, "accept"),
    (Status.ACTIVE, "start_billing"),
    (Status.ACTIVE, "withdraw_notice"),
    (Status.TERMINATED, "accept"),
    (Status.TERMINATED, "register_notice"),
    (Status.WITHDRAWN, "accept"),
]


def _bring_to(status, staff) -> Contract:
    c = f.contract(ServiceCode.CXM2)
    if status == Status.WITHDRAWN:
        return lifecycle.withdraw(c, by=staff) and c
    if status == Status.APPLIED:
        return c
    lifecycle.accept(c, on=D(2025, 1, 10), by=staff)
    if status == Status.ACCEPTED:
        return c
    lifecycle.start_billing(c, on=D(2025, 1, 15), by=staff)
    if status == Status.TERMINATED:
        lifecycle.terminate(c, on=D(2025, 2, 1), reason=TerminationReason.GT_ART28_3, by=staff)
    return c


CALLS = {
    "accept": lambda c, u: lifecycle.accept(c, on=D(2025, 5, 1), by=u),
    "start_billing": lambda c, u: lifecycle.start_billing(c, on=D(2025, 5, 1), by=u),
    "register_notice": lambda c, u: lifecycle.register_notice(c, received_on=D(2025, 5, 1), by=u),
    "withdraw_notice": lambda c, u: lifecycle.withdraw_notice(c, by=u),
    "withdraw": lambda c, u: lifecycle.withdraw(c, by=u),
}


@pytest.mark.parametrize(("status", "move"), ILLEGAL, ids=[f"{s}-{m}" for s, m in ILLEGAL])
def test_illegal_moves_are_refused_and_change_nothing(staff, status, move):
    c = _bring_to(status, staff)
    before = c.history.count()
    with pytest.raises(InvalidTransition) as err:
        CALLS[move](c, staff)
    assert "“" in str(err.value) or err.value.messages
    c.refresh_from_db()
    assert c.status == status and c.history.count() == before


def test_allowed_moves_table_is_closed_over_statuses():
    assert set(ALLOWED_MOVES) == set(Status.values)
    for targets in ALLOWED_MOVES.values():
        assert targets <= set(Status.values)
    assert ALLOWED_MOVES[Status.TERMINATED] == ALLOWED_MOVES[Status.WITHDRAWN] == frozenset()


def test_dates_out_of_order_are_refused(staff):
    c = f.contract(ServiceCode.CXM2, applied_on=D(2025, 1, 6))
    with pytest.raises(InvalidTransition):
        lifecycle.accept(c, on=D(2025, 1, 5), by=staff)
    lifecycle.accept(c, on=D(2025, 1, 10), by=staff)
    with pytest.raises(InvalidTransition):
        lifecycle.start_billing(c, on=D(2025, 1, 9), by=staff)
    lifecycle.start_billing(c, on=D(2025, 1, 10), by=staff)
    with pytest.raises(InvalidTransition):
        lifecycle.register_notice(c, received_on=D(2025, 3, 1), requested_on=D(2025, 2, 1), by=staff)


def test_override_terms_requires_reason_and_records_it(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    with pytest.raises(ValidationError):
        lifecycle.override_terms(c, by=staff, reason="  ", initial_fee=1)
    lifecycle.override_terms(c, by=staff, reason="Campaign price agreed by sales", initial_fee=48_000, min_months=3)
    assert (c.initial_fee, c.min_months, c.min_period_end_on) == (48_000, 3, D(2025, 4, 14))
    last = c.history.first()
    assert "Campaign price agreed by sales" in last.history_change_reason and last.history_user == staff


def test_restart_minimum_period(staff):
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    assert c.min_period_end_on == D(2026, 1, 14)
    lifecycle.restart_minimum_period(c, on=D(2025, 6, 1), by=staff, reason="Router replaced")
    assert (c.min_period_start_on, c.min_period_end_on) == (D(2025, 6, 1), D(2026, 5, 31))


def test_close_due_ends_pending_cancellations_on_their_effective_date(staff):
    due = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    later = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    lifecycle.register_notice(due, received_on=D(2025, 3, 1), by=staff)
    lifecycle.register_notice(later, received_on=D(2025, 4, 1), by=staff)
    assert lifecycle.close_due(today=D(2025, 4, 1), by=staff) == (1, [])
    assert lifecycle.close_due(today=D(2025, 4, 1), by=staff) == (0, [])
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.terminated_on) == (Status.TERMINATED, D(2025, 3, 31))
    assert later.status == Status.CANCELLING


def test_close_due_command_is_idempotent(staff, english):
    from io import StringIO

    from django.core.management import call_command

    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)
    out = StringIO()
    call_command("close_due_cancellations", "--today", "2025-04-01", stdout=out)
    call_command("close_due_cancellations", "--today", "2025-04-01", stdout=out)
    assert out.getvalue().splitlines() == [
        "April 1, 2025: 1 cancellation(s) took effect.",
        "April 1, 2025: 0 cancellation(s) took effect.",
    ]


def test_a_move_reads_the_saved_row_with_its_lock_only(staff):
    """The rules compare the moved row with its saved row: the lock read it, nothing reads it again; the
    row the move returns keeps no such values (a later check reads the database)."""
    c = f.contract(ServiceCode.CXM2)
    with CaptureQueriesContext(connection) as captured:
        row = lifecycle.accept(c, on=D(2025, 1, 10), by=staff)
    saved_reads = [q["sql"] for q in captured if q["sql"].startswith('SELECT "contracts_contract"."status" AS')]
    assert saved_reads == []
    assert not hasattr(row, "_saved_row_as_locked")
