"""The settlement on the confirmation page of contracts' cancellation actions, before staff confirm."""

from datetime import date

import pytest

from contracts.choices import ServiceCode, Status, TerminationReason
from contracts.models import Contract, ContractOption
from contracts.services import lifecycle
from contracts.services.managed_router import record_equipment_change
from tests import factories as f
from tests.admin.conftest import as_post, changelist_url

pytestmark = pytest.mark.django_db

D = date.fromisoformat


@pytest.fixture
def staff_client(login_as_role):
    """Sales staff (who register notices and end contracts), reading the admin in English."""
    return login_as_role("sales")


@pytest.fixture
def cxm2_active(staff) -> Contract:
    """A CXM2 contract billed from 2025-01-15: its 1-month minimum period ends 2025-02-14."""
    return f.activate(f.contract(ServiceCode.CXM2), by=staff)


def confirmation(client, model, action, rows, **fields):
    """The confirmation page of ``action`` for ``rows``: the form posted once, nothing confirmed."""
    data = {"action": action, "_selected_action": [row.pk for row in rows], "_step": "form", **as_post(fields)}
    response = client.post(changelist_url(model), data)
    assert response.status_code == 200 and response.context["confirm"]
    return response


def notes_of(response) -> list[tuple[str, tuple[str, ...]]]:
    return [(note.text, note.details) for note in response.context["notes"]]


def test_notice_confirmation_shows_the_settlement_and_its_calculation(staff_client, cxm2_active):
    """CXM2 billed from 2025-01-15 (minimum period to 02-14); notice on 01-12 ends service on 02-11."""
    response = confirmation(staff_client, Contract, "register_notice", [cxm2_active], received_on=D("2025-01-12"))
    fee = cxm2_active.monthly_fee
    [(text, details)] = notes_of(response)
    amount = fee * 3 // 28
    assert text == f"{cxm2_active}: Early-termination settlement: {amount:,} yen (CXM2 art. 12, annex 3)."
    assert details[-1] == f"Feb. 12, 2025 to Feb. 14, 2025: 3 of 28 days, {amount:,} yen"
    page = response.content.decode()
    assert f"{amount:,} yen" in page and "3 of 28 days" in page
    cxm2_active.refresh_from_db()
    assert cxm2_active.status == Status.ACTIVE  # nothing written before the confirmation


def test_notice_after_the_period_says_there_is_none(staff_client, cxm2_active):
    response = confirmation(staff_client, Contract, "register_notice", [cxm2_active], received_on=D("2025-03-01"))
    assert notes_of(response) == [
        (f"{cxm2_active}: No early-termination settlement: the minimum period ended on Feb. 14, 2025.", ())
    ]


def test_termination_under_article_28_shows_the_waiver(staff_client, cxm2_active):
    response = confirmation(
        staff_client, Contract, "terminate", [cxm2_active], on=D("2025-01-31"), reason=TerminationReason.GT_ART28_2
    )
    assert notes_of(response) == [
        (f"{cxm2_active}: Early-termination settlement waived: General terms art. 28 ¶2.", ())
    ]


def test_managed_router_restarted_period_is_on_the_confirmation(staff_client, staff):
    """Billed from 2025-01-15 (period to 2026-01-14), equipment changed 2025-07-01: period to 2026-06-30."""
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    record_equipment_change(router, on=D("2025-07-01"), by=staff)
    router.refresh_from_db()
    assert router.min_period_end_on == D("2026-06-30")
    response = confirmation(staff_client, Contract, "register_notice", [router], received_on=D("2025-08-01"))
    [(text, details)] = notes_of(response)  # 45 days (art. 10): last day of service 2025-09-15
    fee = router.monthly_fee
    amount = fee * 15 // 30 + 9 * fee
    assert text == f"{router}: Early-termination settlement: {amount:,} yen (Managed Router art. 12, annex 2)."
    assert details[1] == (
        "Rest of the minimum period: Sept. 16, 2025 to June 30, 2026 (last day of service Sept. 15, 2025)"
    )


def test_option_stop_shows_the_options_settlement(staff_client, staff):
    parent = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    extra = f.activate(f.option(parent, "managed_router.custom_operation"), by=staff)
    lifecycle.register_notice(extra, received_on=D("2025-02-01"), by=staff)
    extra.refresh_from_db()
    response = confirmation(
        staff_client,
        ContractOption,
        "terminate",
        [extra],
        on=extra.effective_end_on,
        reason=TerminationReason.CUSTOMER_REQUEST,
    )
    [(text, _details)] = notes_of(response)
    fee = extra.monthly_fee
    assert extra.effective_end_on == D("2025-03-03")
    amount = fee * 28 // 31 + 9 * fee + fee * 14 // 31
    assert text == f"{extra}: Early-termination settlement: {amount:,} yen (Managed Router art. 12, annex 2)."


def test_a_contracts_notice_also_shows_the_settlement_of_the_options_ending_with_it(staff_client, staff):
    """The option ends with its contract on the same last day, as a cascade, so it owes its own rest."""
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    extra = f.activate(f.option(router, "managed_router.custom_operation"), by=staff)
    response = confirmation(staff_client, Contract, "register_notice", [router], received_on=D("2025-08-01"))
    [(router_text, _), (option_text, _)] = notes_of(response)
    assert router_text.startswith(f"{router}: Early-termination settlement:")
    fee = extra.monthly_fee
    amount = fee * 15 // 30 + 3 * fee + fee * 14 // 31  # 2025-09-16 .. 2026-01-14
    assert option_text == f"{extra}: Early-termination settlement: {amount:,} yen (Managed Router art. 12, annex 2)."


def test_a_waived_contract_end_waives_its_options_too(staff_client, staff):
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    extra = f.activate(f.option(router, "managed_router.custom_operation"), by=staff)
    response = confirmation(
        staff_client, Contract, "terminate", [router], on=D("2025-08-01"), reason=TerminationReason.GT_ART28_2
    )
    texts = [text for text, _ in notes_of(response)]
    assert len(texts) == 2 and texts[1].startswith(f"{extra}: ")
    assert all("waived" in text.lower() for text in texts)


def test_actions_without_a_settlement_show_no_notes(staff_client):
    c = f.contract(ServiceCode.CXM2)
    response = confirmation(staff_client, Contract, "accept", [c], on=D("2025-01-10"))
    assert response.context["notes"] == []


def test_the_note_is_shown_in_japanese(client, staff, cxm2_active):
    client.force_login(staff)
    response = confirmation(client, Contract, "register_notice", [cxm2_active], received_on=D("2025-01-12"))
    page = response.content.decode()
    assert "最低利用期間内解除調定金" in page
