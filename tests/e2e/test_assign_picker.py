"""Logistics assigns a unit in the browser by searching the contract: the picker finds it among many by its
customer and shows its kind; the confirmation names the same contract."""

import pytest
from playwright.sync_api import expect

from equipment.choices import UnitState
from tests.equipment import factories as ef

from .steps import sign_in, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_logistics_finds_the_contract_by_searching_and_assigns_the_unit(page, site):
    contracts = [ef.router_contract() for _ in range(25)]
    wanted = contracts[17]
    unit = ef.unit()
    sign_in(page, site, "logistics")

    page.goto(f"{site}/admin/equipment/unit/")
    tick(page, unit)
    page.select_option("select[name=action]", "assign")
    page.click("button[name=index]")
    page.wait_for_selector("#step-action-form")
    page.fill("#id_on", "2025-02-01")
    page.click("#id_contract + .select2 .select2-selection")
    page.fill(".select2-search__field", wanted.customer.code)
    choice = page.locator(".select2-results__option", has_text=wanted.number)
    choice.wait_for()
    assert "マネージドルータサービス" in choice.inner_text() and str(wanted.item) in choice.inner_text()
    expect(page.locator(".select2-results__option")).to_have_count(1)  # the search's answer, not the first page
    choice.click()
    page.click("input[name=_next]")
    summary = page.locator("table.confirm-summary").inner_text()
    assert wanted.number in summary and "マネージドルータサービス" in summary
    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist li.success")
    unit.refresh_from_db()
    assert (unit.status, unit.contract_id) == (UnitState.ASSIGNED, wanted.pk)
