"""In the browser, as staff on the floor: a unit awaited back is reported damaged, a return is received with
its condition, a confirmation shows its deciding figures (the notice's calculation, a charge's amount)
before "yes", and the lists read as they should (yen grouped, a status on one line, the calendar's icon)."""

from datetime import date

import pytest

from contracts.choices import ServiceCode, Status
from equipment.choices import IncidentKind, UnitState
from equipment.models import Charge, Incident
from equipment.services import units
from tests import factories as f
from tests.equipment import factories as ef

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _choose(page, site, path: str, pk: int, action: str):
    page.goto(f"{site}{path}")
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector("#step-action-form")


def _next(page):
    """Go on to the confirmation, and wait for it: the page's address does not change."""
    page.click("input[name=_next]")
    page.wait_for_selector("input[name=_confirm]")


def _awaited():
    unit = ef.installed(ef.unit(), contract=ef.router_contract())
    units.request_return(unit, on=date(2025, 5, 31), deadline=date(2025, 6, 30))
    return unit


def test_units_awaited_back_reported_damaged_and_received_damaged(logged_in, site):
    page = logged_in
    damaged, broken = _awaited(), _awaited()

    _choose(page, site, "/admin/equipment/unit/", damaged.pk, "report_loss")
    icon = page.locator(".datetimeshortcuts .date-icon").first
    assert "icon-calendar" in icon.evaluate("e => getComputedStyle(e).backgroundImage")  # not a broken icon
    page.select_option("#id_kind", IncidentKind.DAMAGE)
    page.fill("#id_on", "2025年6月5日")  # the form the screens print dates in
    _next(page)
    assert page.locator("input[name=_back]").count() == 1 and page.locator("a.cancel-link").count() == 0
    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist li.success")
    damaged.refresh_from_db()
    assert damaged.status == UnitState.DAMAGED

    _choose(page, site, "/admin/equipment/unit/", broken.pk, "receive_return")
    page.fill("#id_on", "2025/06/10")
    page.select_option("#id_condition", "damaged")
    page.fill("#id_note", "筐体割れ")
    _next(page)
    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist li.success")
    incident = Incident.objects.get(unit=broken)
    assert (incident.kind, incident.note) == (IncidentKind.DAMAGE, "毀損: 筐体割れ")


def test_confirmations_show_the_deciding_figures_and_lists_read_well(logged_in, site, staff):
    page = logged_in
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    _choose(page, site, "/admin/contracts/contract/", router.pk, "register_notice")
    page.fill("#id_received_on", "2025/03/01")
    page.fill("#id_requested_on", "2025/03/31")
    _next(page)
    shown = page.locator("ul.selected-objects").inner_text()
    assert "2025年4月15日" in shown and "45日(マネージドルータ個別規程第10条)" in shown and "2025年3月31日" in shown
    router.refresh_from_db()
    assert router.status == Status.ACTIVE  # shown, not yet done

    incident = ef.loss()
    _choose(page, site, "/admin/equipment/incident/", incident.pk, "assess")
    page.fill("#id_on", "2025/03/02")
    _next(page)
    assert "80,000円" in page.locator("ul.selected-objects").inner_text()  # the amount before "yes"
    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist li.success")

    page.goto(f"{site}/admin/equipment/charge/")
    assert "80,000" in page.locator("#result_list td.field-amount").first.inner_text()
    status = page.locator("#result_list td.field-status").first
    lines = status.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    )
    assert lines == 1  # one line, not a character a line
    assert Charge.objects.count() == 1


def test_the_contract_add_page_shows_the_fields_of_the_chosen_service_only(logged_in, site):
    page = logged_in
    page.goto(f"{site}/admin/contracts/contract/add/")
    assert page.locator(".form-row.field-route").is_hidden()  # nothing chosen: no service's fields
    assert page.locator(".form-row.field-building_type").is_hidden()
    page.select_option("#id_service", ServiceCode.CXM2)
    assert page.locator(".form-row.field-route").is_visible()
    assert page.locator(".form-row.field-building_type").is_hidden()


def test_the_option_add_page_shows_the_fields_of_the_chosen_options_service_only(logged_in, site):
    page = logged_in
    page.goto(f"{site}/admin/contracts/contractoption/add/")
    assert page.locator(".form-row.field-port_line").is_hidden()  # nothing chosen: no service's fields
    assert page.locator(".form-row.field-units").is_hidden()
    page.select_option("#id_kind", "isp_platform.router_rental")
    assert page.locator(".form-row.field-units").is_visible()
    assert page.locator(".form-row.field-port_line").is_hidden()
    page.select_option("#id_kind", "smart_hub.onprem_port")
    assert page.locator(".form-row.field-port_line").is_visible()
    assert page.locator(".form-row.field-units").is_hidden()
