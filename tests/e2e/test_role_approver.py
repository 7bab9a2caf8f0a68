"""The approver in the browser: approves an equipment charge someone else assessed and closes the month
billing ran, issuing its invoices; what billing and logistics do is not offered."""

from datetime import date

import pytest

from billing.models import Invoice
from billing.run import run_month
from equipment.choices import ChargeState
from tests.billing.helpers import bill, in_service
from tests.equipment import factories as ef

from .steps import run_action, sign_in, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_approver_approves_a_charge_and_closes_the_month(page, site):
    charge = ef.assessed_charge()
    in_service(accepted_on=date(2025, 2, 10), billing_on=date(2025, 2, 15))
    month = bill(2025, 3)
    sign_in(page, site, "approver")

    page.goto(f"{site}/admin/equipment/charge/")
    tick(page, charge)
    run_action(page, "approve", on="2025-03-05")
    assert page.locator("ul.messagelist li.success").count() == 1
    charge.refresh_from_db()
    assert charge.status == ChargeState.APPROVED

    page.goto(f"{site}/admin/billing/billingmonth/")
    options = page.locator("select[name=action] option").all_inner_texts()
    assert not any("Dry run" in text or "試算" in text for text in options)  # running is billing's
    tick(page, month)
    run_action(page, "close", issued_on="2025-03-31")  # the approved charge is not on the month yet
    assert page.locator("ul.messagelist li.error").count() == 1
    run_month(month)  # billing runs the month again
    page.goto(f"{site}/admin/billing/billingmonth/")
    tick(page, month)
    run_action(page, "close", issued_on="2025-03-31")
    assert page.locator("ul.messagelist li.success").count() == 1
    month.refresh_from_db()
    assert month.is_closed
    invoices = Invoice.objects.filter(month=month)
    assert invoices.count() == 2 and not invoices.filter(number__isnull=True).exists()  # the CXM2 and the router

    assert page.goto(f"{site}/admin/equipment/incident/add/").status == 403
