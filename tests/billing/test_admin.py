"""Billing's admin pages: the actions end to end, the stored document, worklists, the customer's pages."""

from datetime import date as D

import pytest
from django.urls import reverse

from backoffice import worklists
from billing.background import BILLING_RUN
from billing.closing import close_month
from billing.models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine
from billing.rendering import RENDER_DOCUMENTS, job_of, render_now, write_documents
from jobs.models import Job, JobState
from jobs.services import enqueue_on_commit
from tests.admin.conftest import change_url, changelist_url, messages_of, run_action
from tests.tampering import behind_every_guard

from .helpers import bill, bill_and_close, in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_run_shows_the_dry_run_before_confirming_then_close_issues(staff_client, staff, worked_off):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    month = BillingMonth.objects.create(month=D(2025, 2, 1))
    url = changelist_url(BillingMonth)
    data = {"action": "run", "_selected_action": [month.pk], "_step": "form"}
    confirm = staff_client.post(url, data)
    assert "1 lines for 1 customers" in confirm.content.decode()
    assert not InvoiceLine.objects.exists()
    with worked_off():
        response = run_action(staff_client, BillingMonth, "run", [month])
        assert not InvoiceLine.objects.exists()  # the answer comes at once, with its job; a worker runs it
        run = Job.objects.get(kind=BILLING_RUN.name, state=JobState.QUEUED)
        assert reverse("admin:jobs_job_change", args=[run.pk]) in " ".join(messages_of(response))
    assert Invoice.objects.get().lines.count() == 1
    run.refresh_from_db()
    assert (run.state, run.started_by) == (JobState.DONE, staff) and "1 lines added" in run.result
    with worked_off():
        response = run_action(staff_client, BillingMonth, "close", [month], issued_on=D(2025, 3, 1))
    assert response.status_code == 302
    month.refresh_from_db()
    assert month.is_closed and month.closed_by == staff
    rendering = Job.objects.get(kind=RENDER_DOCUMENTS.name)
    assert (rendering.state, rendering.done, rendering.total) == (JobState.DONE, 1, 1)
    assert Invoice.objects.get().document.intact()


def test_a_refused_close_is_reported_not_a_server_error(staff_client):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    month = bill_and_close(2025, 2)
    response = run_action(staff_client, BillingMonth, "close", [month], issued_on=D(2025, 3, 1))
    assert any("already closed" in m for m in messages_of(response))


def test_correcting_a_line_through_the_admin_adds_an_adjustment(staff_client):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15), monthly_fee=50_000)
    line = InvoiceLine.objects.get(month=bill_and_close(2025, 2))
    run_action(staff_client, InvoiceLine, "correct", [line], new_amount=45_000, reason="値引き漏れ")
    adjustment = line.adjustments.get()
    assert (adjustment.amount, adjustment.month.month, adjustment.reason) == (-5_000, D(2025, 3, 1), "値引き漏れ")


def test_the_document_is_served_unchanged_and_refused_once_tampered(staff_client):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    invoice = Invoice.objects.get(month=bill_and_close(2025, 2))
    document = invoice.document
    pdf = staff_client.get(reverse("admin:billing_invoice_document", args=[invoice.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(document.pdf)
    page = staff_client.get(reverse("admin:billing_invoice_document", args=[invoice.pk, "html"]))
    assert page.content.decode() == document.html
    policy = page["Content-Security-Policy"]  # the stored page runs nothing and reaches nothing
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert "document/pdf" in staff_client.get(change_url(invoice)).content.decode()
    _tamper(document)
    tampered = staff_client.get(reverse("admin:billing_invoice_document", args=[invoice.pk, "html"]))
    assert tampered.status_code == 302
    assert any("checksum" in m for m in messages_of(tampered))


def _tamper(document):
    """Edit the stored page behind every guard, as only the database's owner can (triggers off on PostgreSQL)."""
    with behind_every_guard() as cursor:
        cursor.execute(
            "UPDATE billing_invoicedocument SET html = html || '<!-- edited -->' WHERE id = %s", [document.pk]
        )


def test_invoice_pages_offer_no_edit(staff_client):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    invoice = Invoice.objects.get(month=bill(2025, 2))
    assert 'name="_save"' not in staff_client.get(change_url(invoice)).content.decode()
    assert staff_client.get(changelist_url(Invoice) + "add/").status_code == 403
    assert staff_client.post(change_url(invoice), {"total": 1}).status_code == 403


def test_the_invoice_list_is_searched_by_number_and_customer(staff_client):
    contract = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    bill_and_close(2025, 2)
    for term in ("1", contract.customer.code, contract.customer.name):
        assert staff_client.get(changelist_url(Invoice), {"q": term}).context["cl"].result_count == 1
    assert staff_client.get(changelist_url(Invoice), {"q": "zzz"}).context["cl"].result_count == 0


def test_worklists_count_the_months_to_close_and_the_open_invoices(staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    bill(2025, 2)
    [(group, links)] = [entry for entry in worklists.visible(staff) if entry[1][0].url.startswith("/admin/billing")]
    assert [link.count for link in links] == [1, 1]


def test_the_customer_page_lists_invoices_and_the_timeline_shows_issued_ones(staff_client):
    contract = in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    invoice = Invoice.objects.get(month=bill_and_close(2025, 2))
    customer_page = staff_client.get(change_url(contract.customer)).content.decode()
    assert invoice.display_number in customer_page
    timeline = staff_client.get(reverse("admin:customers_customer_timeline", args=[contract.customer_id]))
    assert invoice.display_number in timeline.content.decode()


def test_a_month_whose_documents_are_not_rendered_yet_says_so_and_serves_no_error(staff_client, staff):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    month = bill(2025, 2)
    close_month(month, by=staff, issued_on=D(2025, 3, 1))  # its rendering job waits for a worker
    invoice = Invoice.objects.filter(month=month).first()
    assert "0 / 2" in staff_client.get(changelist_url(BillingMonth)).content.decode()
    page = staff_client.get(change_url(invoice)).content.decode()
    assert "Being rendered by the workers." in page
    assert reverse("admin:jobs_job_change", args=[job_of(month).pk]) in page
    pdf = staff_client.get(reverse("admin:billing_invoice_document", args=[invoice.pk, "pdf"]), follow=True)
    assert pdf.status_code == 200 and "not rendered yet" in " ".join(messages_of(pdf))
    render_now(month)
    assert "2 / 2" in staff_client.get(changelist_url(BillingMonth)).content.decode()
    assert "2 / 2" in staff_client.get(change_url(month)).content.decode()
    pdf = staff_client.get(reverse("admin:billing_invoice_document", args=[invoice.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"


def test_a_rendering_job_run_twice_writes_each_document_once(staff, worked_off):
    in_service(accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    month = bill(2025, 2)
    with worked_off():
        close_month(month, by=staff, issued_on=D(2025, 3, 1))
    job = job_of(month)
    ids = list(Invoice.objects.values_list("pk", flat=True))
    assert write_documents(ids) == 0  # the same batch again, as a second worker would: nothing written
    with worked_off():  # the whole job again, as a worker taking up a job it believes stalled
        enqueue_on_commit(job)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts) == (JobState.DONE, 1, 1, 1)
    assert InvoiceDocument.history.count() == 1 and InvoiceDocument.objects.get().intact()
