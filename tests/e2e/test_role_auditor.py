"""The auditor in the browser: reads customers, their timeline, contracts, invoices and history, and is
offered nothing that writes: no add button, no action, no save; a write typed by hand is refused."""

from datetime import date

import pytest

from billing.models import Invoice
from contracts.choices import ServiceCode
from tests import factories as f
from tests.billing.helpers import bill_and_close, in_service

from .steps import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_auditor_reads_everything_and_changes_nothing(page, site):
    contract = in_service(ServiceCode.CXM2, accepted_on=date(2025, 2, 10), billing_on=date(2025, 2, 15))
    bill_and_close(2025, 3)
    invoice = Invoice.objects.get(customer=contract.customer)
    f.customer()
    sign_in(page, site, "auditor")

    for path in ("customers/customer/", "contracts/contract/", "billing/invoice/", "sla/outage/", "equipment/unit/"):
        page.goto(f"{site}/admin/{path}")
        assert page.locator("#changelist").count() == 1, path
        # The only thing the auditor adds is its own API token (the sidebar's link): nothing on these lists.
        assert page.locator("#content a.addlink").count() == 0, path
        assert [link.get_attribute("href") for link in page.locator("#nav-sidebar a.addlink").all()] == [
            "/admin/api/apitoken/add/"
        ], path
        assert page.locator("select[name=action]").count() == 0, path

    page.goto(f"{site}/admin/customers/customer/{contract.customer_id}/timeline/")
    assert invoice.display_number in page.content()
    page.goto(f"{site}/admin/contracts/contract/{contract.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0
    page.goto(f"{site}/admin/contracts/contract/{contract.pk}/history/")
    assert contract.number in page.content()
    page.goto(f"{site}/admin/billing/invoice/{invoice.pk}/change/")
    with page.expect_download() as download:
        page.click("a[href$='/document/pdf/']")
    assert download.value.suggested_filename == f"invoice-{invoice.number:08d}.pdf"

    assert page.goto(f"{site}/admin/customers/customer/add/").status == 403
    refused = page.request.post(
        f"{site}/admin/customers/customer/{contract.customer_id}/change/", form={"name": "書き換え"}
    )
    assert refused.status == 403
