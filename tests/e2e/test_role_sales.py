"""Sales in the browser: registers a customer, accepts an applied contract and follows it on the customer's
timeline; equipment incidents and the billing run are not this role's."""

import pytest

from contracts.choices import ServiceCode, Status
from customers.models import Customer
from tests import factories as f

from .steps import run_action, sign_in, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sales_registers_a_customer_and_accepts_a_contract(page, site):
    contract = f.contract(ServiceCode.CXM2)
    sign_in(page, site, "sales")

    page.goto(f"{site}/admin/customers/customer/add/")
    page.fill("#id_code", "E2E-SALES")
    page.select_option("#id_kind", "corporate")
    page.fill("#id_name", "営業試験株式会社")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")
    assert Customer.objects.filter(code="E2E-SALES").exists()

    page.goto(f"{site}/admin/contracts/contract/")
    tick(page, contract)
    run_action(page, "accept", on="2025-01-10")
    assert page.locator("ul.messagelist li.success").count() == 1
    contract.refresh_from_db()
    assert contract.status == Status.ACCEPTED

    page.goto(f"{site}/admin/customers/customer/{contract.customer_id}/timeline/")
    assert page.locator("#timeline", has_text=contract.number).count() == 1
    assert page.goto(f"{site}/admin/equipment/incident/").status == 403
    page.goto(f"{site}/admin/billing/billingmonth/")
    assert page.locator("select[name=action]").count() == 0
