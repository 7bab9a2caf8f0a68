"""Dates must agree with the lifecycle: early ends name their article, dates before the row's own
acceptance are refused, and no move dated after today shows a status that is not yet true."""

from datetime import date as D

import pytest
from django.utils import translation

from backoffice.display import date_text
from contracts.choices import ServiceCode, Status, TerminationReason
from contracts.models import Abolition, Contract
from contracts.services import changes, lifecycle
from contracts.services.abolition import abolish
from contracts.services.managed_router import record_equipment_change
from contracts.services.related import end_related_contract
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = D(2025, 6, 1)
FUTURE = D(2025, 6, 8)


# --- an early end names the article of its notice period ------------------------------------------


@pytest.mark.parametrize(
    ("service", "article"),
    [
        (ServiceCode.CXM2, "(CXM2 art. 10)"),
        (ServiceCode.MANAGED_ROUTER, "(Managed Router art. 10)"),
        (ServiceCode.ISP_PLATFORM, "(ISP Platform art. 9)"),
    ],
)
def test_ending_a_contract_before_its_notice_period_names_the_article(staff, service, article):
    c = f.activate(f.contract(service), by=staff)
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)
    with translation.override("en"):  # the refusal, read in English
        effective = date_text(c.effective_end_on)
    with f.refused(f"takes effect on {effective}; it cannot end earlier {article}"):
        lifecycle.terminate(c, on=D(2025, 3, 20), by=staff)
    c.refresh_from_db()
    assert c.status == Status.CANCELLING


@pytest.mark.parametrize(
    ("service", "kind", "article"),
    [
        (ServiceCode.CXM2, "cxm2.napt", "(CXM2 art. 7 ¶6)"),
        (ServiceCode.ISP_PLATFORM, "isp_platform.ipv4_fixed_ip", "(ISP Platform art. 7 ¶9)"),
        (ServiceCode.MANAGED_ROUTER, "managed_router.managed_switch", "(Managed Router art. 6 ¶1 (2))"),
    ],
)
def test_stopping_an_option_before_its_notice_period_names_the_article(staff, service, kind, article):
    option = f.activate(f.option(f.activate(f.contract(service), by=staff), kind), by=staff)
    lifecycle.register_notice(option, received_on=D(2025, 3, 1), by=staff)
    assert option.effective_end_on == D(2025, 3, 31)
    with f.refused(article):
        lifecycle.terminate(option, on=D(2025, 3, 30), by=staff)


# --- dates before the row's own acceptance ----------------------------------------------------------


def test_a_change_accepted_before_the_contract_was_accepted_is_refused(staff):
    c = f.activate(f.contract(ServiceCode.CXM2, applied_on=D(2025, 1, 6)), by=staff)
    with f.refused("before the contract or option itself was accepted (Jan. 10, 2025)"):
        changes.accept_change(c, on=D(2025, 1, 1), by=staff, route="office365")
    c.refresh_from_db()
    assert c.route == "microsoft" and not c.changes.exists()


def test_an_equipment_change_before_acceptance_is_refused(staff):
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    with f.refused("before the contract or option itself was accepted"):
        record_equipment_change(c, on=D(2025, 1, 8), by=staff)
    assert not c.changes.exists()


def test_a_cancellation_notice_before_acceptance_is_refused(staff):
    c = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    with f.refused("cannot be received before the acceptance date (Jan. 10, 2025)"):
        lifecycle.register_notice(c, received_on=D(2025, 1, 9), by=staff)
    c.refresh_from_db()
    assert (c.status, c.notice_received_on) == (Status.ACTIVE, None)


def test_the_minimum_period_cannot_restart_before_billing(staff):
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    with f.refused("cannot restart before the billing start"):
        lifecycle.restart_minimum_period(c, on=D(2025, 1, 14), by=staff, reason="equipment")


# --- moves dated after today ------------------------------------------------------------------------


def _live(service=ServiceCode.CXM2):
    return f.activate(f.contract(service))


FUTURE_MOVES = {
    "accept": lambda: lifecycle.accept(f.contract(ServiceCode.CXM2), on=FUTURE),
    "start_billing": lambda: lifecycle.start_billing(
        lifecycle.accept(f.contract(ServiceCode.CXM2), on=TODAY), on=FUTURE
    ),
    "register_notice": lambda: lifecycle.register_notice(_live(), received_on=FUTURE),
    "terminate": lambda: lifecycle.terminate(_live(), on=FUTURE, reason=TerminationReason.GT_ART28_3),
    "accept_change": lambda: changes.accept_change(_live(), on=FUTURE, route="office365"),
    "restart_minimum_period": lambda: lifecycle.restart_minimum_period(
        _live(ServiceCode.MANAGED_ROUTER), on=FUTURE, reason="equipment"
    ),
    "record_equipment_change": lambda: record_equipment_change(_live(ServiceCode.MANAGED_ROUTER), on=FUTURE),
}


@pytest.mark.parametrize("move", FUTURE_MOVES)
def test_a_move_dated_after_today_is_refused(today, move):
    today(TODAY)
    with f.refused("is dated June 8, 2025, after today (June 1, 2025)"):
        FUTURE_MOVES[move]()


def test_a_move_dated_today_is_recorded(today):
    today(TODAY)
    c = lifecycle.accept(f.contract(ServiceCode.CXM2), on=TODAY)
    lifecycle.start_billing(c, on=TODAY)
    assert c.status == Status.ACTIVE


def _accepted_hub() -> Contract:
    return lifecycle.accept(f.contract(ServiceCode.SMART_HUB), on=D(2025, 1, 10))


def test_a_future_pbb_end_leaves_the_smart_hub_live(staff, today):
    today(TODAY)
    hub = _accepted_hub()
    with f.refused("after today"):
        end_related_contract(hub.related_contract, on=FUTURE, by=staff)
    hub.refresh_from_db()
    hub.related_contract.refresh_from_db()
    assert (hub.status, hub.related_contract.ended_on) == (Status.ACCEPTED, None)


def test_a_future_abolition_waits_for_its_date(staff, today):
    today(TODAY)
    c = _live(ServiceCode.ISP_PLATFORM)
    abolition = Abolition.objects.create(service_id=ServiceCode.ISP_PLATFORM, effective_on=FUTURE, reason="transix")
    with f.refused("after today"):
        abolish(abolition, by=staff)
    c.refresh_from_db()
    abolition.refresh_from_db()
    assert (c.status, abolition.executed_at) == (Status.ACTIVE, None)

    today(FUTURE)
    abolish(abolition, by=staff)
    c.refresh_from_db()
    assert (c.status, c.terminated_on) == (Status.TERMINATED, FUTURE)


def test_a_customer_cancellation_stays_pending_until_the_daily_job(staff, today):
    c = _live()
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), requested_on=D(2025, 6, 30), by=staff)
    today(D(2025, 6, 30))
    with f.refused("after today"):
        lifecycle.terminate(c, on=D(2025, 7, 1), by=staff)
    assert lifecycle.close_due(today=D(2025, 6, 30)) == (0, [])
    assert Contract.objects.get(pk=c.pk).status == Status.CANCELLING
    assert lifecycle.close_due(today=D(2025, 7, 1)) == (1, [])
    assert Contract.objects.get(pk=c.pk).status == Status.TERMINATED


def test_a_cancellation_that_took_effect_cannot_be_withdrawn(staff, today):
    c = _live()
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), by=staff)
    today(D(2025, 4, 1))
    with f.refused("took effect on March 31, 2025; it can no longer be withdrawn"):
        lifecycle.withdraw_notice(c, by=staff)
    c.refresh_from_db()
    assert c.status == Status.CANCELLING


def test_a_pbb_end_dated_today_still_ends_its_smart_hub(staff, today):
    today(TODAY)
    hub = _accepted_hub()
    ended = end_related_contract(hub.related_contract, on=TODAY, by=staff)
    assert [c.pk for c in ended] == [hub.pk]
