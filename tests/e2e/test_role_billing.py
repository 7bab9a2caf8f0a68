"""Billing in the browser: opens the month, checks the dry run on the confirmation, runs it (a job a worker
does), and once the approver has closed the month downloads the invoice's PDF; closing itself is not offered
to billing."""

from datetime import date
from pathlib import Path

import pytest

from billing.closing import close_month
from billing.models import BillingMonth, Invoice
from tests.billing.helpers import in_service
from tests.workers import run_ready_tasks

from .steps import sign_in, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_billing_runs_the_month_and_downloads_the_issued_pdf(page, site, django_user_model):
    contract = in_service(accepted_on=date(2025, 2, 10), billing_on=date(2025, 2, 15))
    sign_in(page, site, "billing")

    page.goto(f"{site}/admin/billing/billingmonth/add/")
    page.fill("#id_month", "2025-03-01")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")
    month = BillingMonth.objects.get(month=date(2025, 3, 1))

    page.goto(f"{site}/admin/billing/billingmonth/")
    options = page.locator("select[name=action] option").evaluate_all("options => options.map(o => o.value)")
    assert "run" in options and "close" not in options
    tick(page, month)
    page.select_option("select[name=action]", "run")
    page.click("button[name=index]")
    page.wait_for_selector("#step-action-form")
    if page.locator("input[name=_next]").count():
        page.click("input[name=_next]")
    assert "2025年3月" in page.locator("li.warning").first.inner_text()  # the dry run, before anything is written
    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist li.success")
    page.click("ul.messagelist li.success a")  # the answer links the run's job; a worker does the run
    page.wait_for_selector("#content h1, #content h2")
    assert "2025年3月" in page.content()
    assert run_ready_tasks() == 1
    invoice = Invoice.objects.get(month=month, customer=contract.customer)
    assert invoice.number is None and invoice.lines.exists()

    approver = django_user_model.objects.create_user("approver-of-the-month")
    close_month(month, by=approver, issued_on=date(2025, 3, 31))
    run_ready_tasks()  # the worker renders the document
    invoice.refresh_from_db()
    page.goto(f"{site}/admin/billing/invoice/{invoice.pk}/change/")
    assert invoice.display_number in page.content()
    with page.expect_download() as download:
        page.click("a[href$='/document/pdf/']")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    page.goto(f"{site}/admin/billing/invoice/{invoice.pk}/document/html/")
    assert invoice.display_number in page.content()  # the stored page, shown in its sandbox
