"""A receivables act in the browser, as billing: the deliveries' button, the confirmation naming the customer,
then the job, whose page reports the invoice delivered."""

from datetime import date

import pytest
from django.core import mail

from billing.models import BillingMonth, Invoice
from jobs.models import Job, JobState
from receivables.background import DELIVER_INVOICES
from receivables.models import InvoiceDelivery
from tests.billing.helpers import bill_and_close, in_service
from tests.workers import run_ready_tasks

from .steps import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_billing_delivers_a_months_invoices_from_the_button(page, site):
    contract = in_service(accepted_on=date(2025, 1, 10), billing_on=date(2025, 1, 15))
    customer = contract.customer
    customer.billing_contact_email = "keiri@example.jp"
    customer.save()
    month = bill_and_close(2025, 2)
    run_ready_tasks()  # the closing's documents
    assert Invoice.objects.get(month=month).document
    sign_in(page, site, "billing")

    page.goto(f"{site}/admin/receivables/invoicedelivery/")
    page.click("a.act-button[href$='/deliver/']")
    page.select_option("#id_month", str(BillingMonth.objects.get().pk))
    page.click("input[name=_next]")
    preview = page.locator("#act-preview").inner_text()
    assert "未送付の請求書 1件" in preview and customer.name in preview
    assert not InvoiceDelivery.objects.exists()  # the confirmation wrote nothing
    page.click("input[name=_confirm]")
    page.wait_for_url("**/admin/jobs/job/*/change/")
    run_ready_tasks()
    job = Job.objects.get(kind=DELIVER_INVOICES.name)
    assert job.state == JobState.DONE
    page.reload()
    assert "請求書 1件を送付" in page.locator(".field-result_column").inner_text()
    assert [m.to for m in mail.outbox] == [["keiri@example.jp"]]
