"""In the browser: sales changes an ISP Platform area limit as a change accepted on a day; billing then reads
the open month's invoice on the customer page and the month's dashboard with running figures marked 未確定."""

from datetime import date

import pytest

from billing.figures import running_figures
from billing.models import Invoice
from contracts.choices import ServiceCode
from contracts.models import ContractChange
from tests.billing.helpers import bill, in_service

from .steps import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sales_dates_an_area_change_and_billing_reads_provisional_totals(browser, site):
    contract = in_service(
        ServiceCode.ISP_PLATFORM,
        item="isp_platform.ipoe_limited",
        accepted_on=date(2025, 1, 6),
        billing_on=date(2025, 1, 6),
        building_type="apartment",
        line_count=None,
        areas=(("east", 300),),
    )
    sales = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(sales, site, "sales")
    sales.goto(f"{site}/admin/contracts/contract/{contract.pk}/change/")
    sales.fill("input[name$='-0-mbps']", "500")
    sales.fill("#id_change_accepted_on", "2025/01/20")
    sales.click("input[name=_continue]")
    message = sales.locator("ul.messagelist li.success").first.inner_text()
    assert "2025年1月20日" in message and "500 Mbps" in message
    change = ContractChange.objects.get(contract=contract)
    assert (change.accepted_on, change.old_quantity, change.new_quantity) == (date(2025, 1, 20), 300, 500)

    bill(2025, 1)
    invoice = Invoice.objects.get(customer=contract.customer)
    billing = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(billing, site, "billing")
    billing.goto(f"{site}/admin/customers/customer/{contract.customer_id}/change/")
    row = billing.locator("tr", has_text="(未発行)").first
    row.scroll_into_view_if_needed()
    total = running_figures(invoice.lines.all()).total
    assert total > 0 and f"{total:,}円 (未確定)" in row.inner_text()
    billing.goto(f"{site}/admin/reports/?month=2025-01")
    assert "未確定: 月が締められていません" in billing.content()
    assert invoice.number is None
