"""A member of staff in the browser: log in, register a customer and a contract, accept it, get refused."""

import re

import pytest
from django.utils import translation

from contracts.choices import Status
from contracts.models import Contract
from customers.models import Customer

from .steps import run_action

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_shows_the_japanese_admin(logged_in):
    page = logged_in
    assert page.locator("html").get_attribute("lang") == "ja"
    assert "サイト管理" in page.content()
    assert page.locator("#logout-form button").text_content().strip() == "ログアウト"


def test_register_a_customer_and_a_contract_and_accept_it(logged_in, site):
    page = logged_in
    page.goto(f"{site}/admin/customers/customer/add/")
    page.fill("#id_code", "E2E001")
    page.select_option("#id_kind", "corporate")
    page.fill("#id_name", "ブラウザ試験株式会社")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")
    customer = Customer.objects.get(code="E2E001")

    page.goto(f"{site}/admin/contracts/contract/add/")
    page.click(".field-customer .select2-selection")
    page.fill(".select2-search__field", "E2E001")
    page.click(".select2-results__option >> text=E2E001")
    page.select_option("#id_item", "cxm2.100m")
    page.fill("#id_applied_on", "2025-01-06")
    page.select_option("#id_application_type", "active")
    page.select_option("#id_route", "microsoft")
    page.select_option("#id_region", "tokyo")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")
    contract = Contract.objects.get(customer=customer)
    assert (contract.service_id, contract.status) == ("cxm2", Status.APPLIED)

    page.goto(f"{site}/admin/contracts/contract/")
    page.check(f"input[name=_selected_action][value='{contract.pk}']")
    run_action(page, "accept", on="2025-01-10")
    assert page.locator("ul.messagelist li.success").count() == 1
    assert contract.number in page.locator("ul.messagelist").inner_text()
    row = page.locator("#result_list tbody tr", has=page.locator(f"text={contract.number}"))
    with translation.override("ja"):
        assert row.locator("td.field-status").inner_text().strip() == str(Status.ACCEPTED.label)
    contract.refresh_from_db()
    assert (contract.status, contract.monthly_fee) == (Status.ACCEPTED, contract.item.monthly_fee)

    # Accepting twice is refused before any "yes" (the confirmation rehearses it), and changes nothing.
    page.check(f"input[name=_selected_action][value='{contract.pk}']")
    page.select_option("select[name=action]", "accept")
    page.click("button[name=index]")
    page.fill("#id_on", "2025-01-11")
    page.click("input[name=_next]")
    assert contract.number in page.locator("p.errornote").inner_text()
    assert page.locator("input[name=_confirm]").count() == 0
    contract.refresh_from_db()
    assert contract.accepted_on.isoformat() == "2025-01-10"

    # A change the terms forbid: the location chosen at contract time (CXM2 art. 3).
    page.goto(f"{site}/admin/contracts/contract/{contract.pk}/change/")
    page.select_option("#id_region", "osaka")
    page.click("input[name=_save]")
    error = page.locator(".field-region .errorlist").inner_text()
    assert re.search(r"第3条|CXM2 art\. 3", error), error
    contract.refresh_from_db()
    assert contract.region == "tokyo"


def test_switch_the_language_to_english(logged_in):
    page = logged_in
    page.select_option("#language-select", "en")
    page.click("#language-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert re.search(r"Site administration", page.content())
    assert page.locator("#logout-form button").text_content().strip() == "Log out"
