"""Lifecycle actions on the contract and option lists: form page, confirmation, per-row results."""

from datetime import date

import pytest
from django.conf import settings

from backoffice.display import date_text
from contracts.choices import ServiceCode, Status, TerminationReason
from contracts.models import Contract, ContractOption
from contracts.selectors import price_schedule
from contracts.services import lifecycle
from tests import factories as f

from .conftest import changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db

D = date


def test_accept_goes_through_a_form_and_a_confirmation_and_freezes_the_terms(staff_client, staff):
    c = f.contract(ServiceCode.CXM2)
    url = changelist_url(Contract)
    selected = {"action": "accept", "_selected_action": [c.pk]}

    form_page = staff_client.post(url, selected)
    assert form_page.status_code == 200 and not form_page.context["confirm"]
    assert "initial_fee" in form_page.context["form"].fields

    confirm_page = staff_client.post(url, {**selected, "_step": "form", "on": "2025-01-10", "monthly_fee": "55000"})
    assert confirm_page.context["confirm"]
    assert ("agreed monthly fee (yen)", "55,000 yen") in [(str(a), b) for a, b in confirm_page.context["summary"]]
    c.refresh_from_db()
    assert c.status == Status.APPLIED  # nothing happens before the confirmation

    done = staff_client.post(url, {**selected, "_step": "confirm", "on": "2025-01-10", "monthly_fee": "55000"})
    assert done.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.accepted_on) == (Status.ACCEPTED, D(2025, 1, 10))
    assert (c.min_months, c.notice_days, c.prorated) == (1, 30, True)
    assert (c.initial_fee, c.monthly_fee) == (c.item.initial_fee, 55_000)
    assert c.history.latest().history_user == staff


def test_back_on_the_confirmation_returns_to_the_form_with_the_values(staff_client):
    c = f.contract(ServiceCode.CXM2)
    response = staff_client.post(
        changelist_url(Contract),
        {"action": "accept", "_selected_action": [c.pk], "_step": "confirm", "on": "2025-01-10", "_back": "1"},
    )
    assert not response.context["confirm"]
    assert response.context["form"]["on"].value() == "2025-01-10"
    c.refresh_from_db()
    assert c.status == Status.APPLIED


def test_notice_computes_the_effective_end(staff_client, cxm2_active):
    response = run_action(staff_client, Contract, "register_notice", [cxm2_active], received_on=D(2025, 3, 1))
    assert response.status_code == 302
    cxm2_active.refresh_from_db()
    assert cxm2_active.status == Status.CANCELLING
    assert cxm2_active.effective_end_on == D(2025, 3, 31)  # arrival + 30 days
    assert any(
        f"{date_text(D(2025, 3, 31))}: received {date_text(D(2025, 3, 1))} + 30 days (CXM2 art. 10)" in m
        for m in messages_of(response)
    )


def test_starting_billing_names_the_minimum_period_end_as_staff_write_it(staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"  # the admin's default language
    c = f.contract(ServiceCode.CXM2)
    lifecycle.accept(c, on=D(2025, 1, 10), by=None)
    response = run_action(staff_client, Contract, "start_billing", [c], on=D(2025, 1, 15))
    assert any("最低利用期間の満了日 2025年2月14日" in m for m in messages_of(response)), messages_of(response)


def test_notice_with_a_later_requested_end_takes_the_requested_day(staff_client, cxm2_active):
    run_action(
        staff_client,
        Contract,
        "register_notice",
        [cxm2_active],
        received_on=D(2025, 3, 1),
        requested_on=D(2025, 5, 20),
    )
    cxm2_active.refresh_from_db()
    assert cxm2_active.effective_end_on == D(2025, 5, 20)


def test_a_refused_move_is_reported_per_row_and_changes_nothing(staff_client, staff):
    applied = f.contract(ServiceCode.CXM2)
    accepted = f.contract(ServiceCode.CXM2)
    lifecycle.accept(accepted, on=D(2025, 1, 10), by=staff)
    history_before = accepted.history.count()

    response = run_action(staff_client, Contract, "accept", [applied, accepted], on=D(2025, 1, 12))

    assert response.status_code == 302
    applied.refresh_from_db()
    accepted.refresh_from_db()
    assert applied.status == Status.ACCEPTED
    assert (accepted.status, accepted.accepted_on) == (Status.ACCEPTED, D(2025, 1, 10))
    assert accepted.history.count() == history_before
    shown = messages_of(response)
    assert any(applied.number in m and "refused" not in m for m in shown)
    assert any(m.startswith(str(accepted)) and "refused" in m for m in shown)


def test_an_invalid_form_stays_on_the_form_page(staff_client, cxm2_active):
    response = run_action(
        staff_client,
        Contract,
        "register_notice",
        [cxm2_active],
        received_on=D(2025, 3, 1),
        requested_on=D(2025, 2, 1),
    )
    assert response.status_code == 200 and not response.context["confirm"]
    assert response.context["form"].errors
    cxm2_active.refresh_from_db()
    assert cxm2_active.status == Status.ACTIVE


def test_terminate_warns_of_and_ends_the_options_with_the_contract(staff_client, staff, cxm2_active):
    napt = f.activate(f.option(cxm2_active, "cxm2.napt"), by=staff)
    url = changelist_url(Contract)
    selected = {"action": "terminate", "_selected_action": [cxm2_active.pk]}

    form_page = staff_client.post(url, selected)
    assert "1 live options" in " ".join(form_page.context["warnings"])
    assert "live options" in form_page.content.decode()

    fields = {"on": "2025-06-30", "reason": TerminationReason.GT_ART28_2, "note": ""}
    confirm_page = staff_client.post(url, {**selected, **fields, "_step": "form"})
    assert confirm_page.context["confirm"] and confirm_page.context["warnings"]
    staff_client.post(url, {**selected, **fields, "_step": "confirm"})

    cxm2_active.refresh_from_db()
    napt.refresh_from_db()
    assert (cxm2_active.status, cxm2_active.terminated_on) == (Status.TERMINATED, D(2025, 6, 30))
    assert (napt.status, napt.terminated_on) == (Status.TERMINATED, D(2025, 6, 30))


def test_a_customer_requested_end_needs_a_notice_first(staff_client, cxm2_active):
    response = run_action(
        staff_client, Contract, "terminate", [cxm2_active], on=D(2025, 6, 30), reason="customer_request", note=""
    )
    assert any("cancellation notice first" in m for m in messages_of(response))
    cxm2_active.refresh_from_db()
    assert cxm2_active.status == Status.ACTIVE


def test_override_needs_a_reason_and_keeps_it_with_the_user_in_the_history(staff_client, staff, cxm2_active):
    without_reason = run_action(staff_client, Contract, "override_terms", [cxm2_active], initial_fee=40_000)
    assert without_reason.status_code == 200 and "reason" in without_reason.context["form"].errors
    cxm2_active.refresh_from_db()
    assert cxm2_active.initial_fee == 50_000

    run_action(
        staff_client,
        Contract,
        "override_terms",
        [cxm2_active],
        initial_fee=40_000,
        prorated="no",
        reason="Discount agreed by sales",
    )
    cxm2_active.refresh_from_db()
    assert (cxm2_active.initial_fee, cxm2_active.prorated) == (40_000, False)
    record = cxm2_active.history.latest()
    assert "Discount agreed by sales" in record.history_change_reason
    assert record.history_user == staff


def test_override_needs_at_least_one_value(staff_client, cxm2_active):
    response = run_action(staff_client, Contract, "override_terms", [cxm2_active], reason="nothing")
    assert response.context["form"].non_field_errors()


def test_a_price_agreement_reaches_each_rows_own_fee_components(staff_client, staff):
    """A contract's form offers ISP Platform's line and bandwidth fees; an option's the rental cancellation
    fee; both the change fee. A component of the other model is not on the form, so it changes nothing.
    (IPoE's bandwidth fee is fixed at 0円 by annex 1 2.(1) (iii): it stays 0.)"""
    isp = f.activate(f.contract(ServiceCode.ISP_PLATFORM), by=staff)
    rental = f.activate(f.option(isp, "isp_platform.router_rental"), by=staff)
    day = {"valid_from": D(2025, 2, 1)}
    run_action(
        staff_client,
        Contract,
        "agree_price",
        [isp],
        **day,
        line_fee=150,
        bandwidth_fee=0,
        change_fee=2_000,
        cancellation_fee=1,
        reason="Volume price",
    )
    run_action(staff_client, ContractOption, "agree_price", [rental], **day, cancellation_fee=4_500, reason="Agreed")
    isp_price, rental_price = price_schedule(isp).on(D(2025, 2, 1)), price_schedule(rental).on(D(2025, 2, 1))
    assert (isp_price.line_fee, isp_price.bandwidth_fee, isp_price.change_fee) == (150, 0, 2_000)
    assert rental_price.cancellation_fee == 4_500


def test_withdraw_needs_no_form_only_a_confirmation(staff_client):
    c = f.contract(ServiceCode.CXM2)
    url = changelist_url(Contract)
    confirm_page = staff_client.post(url, {"action": "withdraw", "_selected_action": [c.pk]})
    assert confirm_page.context["confirm"]
    staff_client.post(url, {"action": "withdraw", "_selected_action": [c.pk], "_step": "confirm"})
    c.refresh_from_db()
    assert c.status == Status.WITHDRAWN


def test_withdraw_notice_returns_to_service(staff_client, staff, cxm2_active, today):
    lifecycle.register_notice(cxm2_active, received_on=D(2025, 3, 1), by=staff)
    today(D(2025, 3, 20))
    run_action(staff_client, Contract, "withdraw_notice", [cxm2_active])
    cxm2_active.refresh_from_db()
    assert (cxm2_active.status, cxm2_active.effective_end_on) == (Status.ACTIVE, None)


def test_option_actions_run_the_same_lifecycle(staff_client, cxm2_active):
    napt = f.option(cxm2_active, "cxm2.napt", applied_on=D(2025, 2, 1))
    run_action(staff_client, ContractOption, "accept", [napt], on=D(2025, 2, 3))
    run_action(staff_client, ContractOption, "start_billing", [napt], on=D(2025, 2, 10))
    napt.refresh_from_db()
    assert (napt.status, napt.min_period_end_on) == (Status.ACTIVE, D(2025, 3, 9))

    response = run_action(staff_client, ContractOption, "register_notice", [napt], received_on=D(2025, 2, 20))
    napt.refresh_from_db()
    assert napt.effective_end_on == D(2025, 3, 22)
    assert any(date_text(D(2025, 3, 22)) in m for m in messages_of(response))


def test_option_terminate_page_has_no_cascade_warning(staff_client, staff, cxm2_active):
    napt = f.activate(f.option(cxm2_active, "cxm2.napt"), by=staff)
    page = staff_client.post(changelist_url(ContractOption), {"action": "terminate", "_selected_action": [napt.pk]})
    assert page.context["warnings"] == []


def test_a_cloud_proxy_parent_accepted_with_its_children_is_accepted_after_them(staff_client):
    """Art. 6 ¶1: a parent is accepted while it holds a template and a bypass or external child; accepted together,
    the children go first (the parent was made first, and was refused)."""
    parent = f.contract(ServiceCode.CLOUD_PROXY)
    template = f.contract(ServiceCode.CLOUD_PROXY, parent.customer, item="cloud_proxy.template.m365", parent=parent)
    external = f.contract(ServiceCode.CLOUD_PROXY, parent.customer, item="cloud_proxy.external", parent=parent)
    lifecycle.accept(external, on=D(2025, 1, 10))
    response = run_action(staff_client, Contract, "accept", [parent, template], on=D(2025, 1, 10))
    assert not any("refused" in message for message in messages_of(response)), messages_of(response)
    statuses = dict(Contract.objects.values_list("pk", "status"))
    assert (statuses[parent.pk], statuses[template.pk]) == (Status.ACCEPTED, Status.ACCEPTED)


def test_a_cxm2_standby_accepted_with_its_active_is_accepted_after_it(staff_client):
    """Art. 5: a Standby needs a live Active partner; made before its partner, it still goes after it."""
    customer = f.customer()
    standby = f.contract(ServiceCode.CXM2, customer, application_type="standby")
    active = f.contract(ServiceCode.CXM2, customer)
    Contract.objects.filter(pk=standby.pk).update(standby_of=active)
    response = run_action(staff_client, Contract, "accept", [standby, active], on=D(2025, 1, 10))
    assert not any("refused" in message for message in messages_of(response)), messages_of(response)
    assert set(Contract.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
