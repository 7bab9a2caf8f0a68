"""Invoices through the API: issued ones with their stored figures, open ones with their running estimate, what
each still owes for those who read receivables, and the stored PDF exactly as it was sent."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from api.models import Access
from api.views.invoices import MONTH_PATTERN
from backoffice.dates import FIRST_DAY, LAST_DAY
from backoffice.months import Month
from billing.models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine
from billing.sources import FeeKind
from receivables.services.allocations import match
from receivables.services.payments import record_payment
from tests import factories as f
from tests.api.queries import queries_of
from tests.receivables import makers
from tests.receivables.conftest import issue, sato, yamada  # noqa: F401  (invoices issued by billing's closing)
from tests.tampering import behind_every_guard

pytestmark = pytest.mark.django_db


def only(response) -> dict:
    assert response.status_code == 200, response.json()
    [row] = response.json()["results"]
    return row


def test_an_issued_invoice_with_its_lines_taxes_balance_and_pdf(api_as, issue, yamada):  # noqa: F811
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    match(record_payment(received_on=date(2025, 3, 10), amount=4_000, payer_name="ﾔﾏﾀﾞ"), [bill], reason="part")
    row = only(api_as("billing").get("/api/v1/invoices"))
    assert row["id"] == bill.pk and row["number"] == bill.number
    assert row["customer"] == {"id": yamada.pk, "code": yamada.code}
    assert (row["month"], row["month_state"], row["estimate"]) == ("2025-02", "closed", False)
    assert (row["issued_on"], row["due_on"]) == (bill.issued_on.isoformat(), bill.due_on.isoformat())
    assert (row["subtotal"], row["tax"], row["total"]) == (10_000, 1_000, 11_000)
    assert row["taxes"] == [{"rate": 10, "taxable": 10_000, "tax": 1_000}]
    [line] = row["lines"]
    assert (line["description"], line["amount"], line["tax_rate"], line["kind"]) == ("作業費", 10_000, 10, "one_time")
    assert (row["balance"], row["payment_state"]) == (7_000, "partly_paid")
    assert row["pdf"] == f"/api/v1/invoices/{bill.pk}/pdf"


def test_an_open_invoice_shows_its_running_estimate(api_as):
    month = BillingMonth.objects.create(month=date(2025, 4, 1))
    draft = Invoice.objects.create(
        customer=f.customer(), month=month, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30)
    )
    for n, (amount, rate) in enumerate([(10_000, 10), (999, 8), (-1_000, 10)]):
        InvoiceLine.objects.create(
            invoice=draft,
            month=month,
            source_key=f"k{n}",
            kind=FeeKind.ONE_TIME,
            description="作業費",
            occurred_on=date(2025, 4, 10),
            amount=amount,
            tax_rate=rate,
        )
    row = only(api_as("billing").get("/api/v1/invoices"))
    assert (row["number"], row["issued_on"], row["estimate"], row["month_state"]) == (None, None, True, "open")
    assert row["taxes"] == [{"rate": 10, "taxable": 9_000, "tax": 900}, {"rate": 8, "taxable": 999, "tax": 79}]
    assert (row["subtotal"], row["tax"], row["total"]) == (9_999, 979, 10_978)
    assert (row["balance"], row["payment_state"], row["pdf"]) == (None, None, None)


def test_what_is_owed_is_shown_only_to_those_who_read_receivables(api_as, issue, yamada):  # noqa: F811
    issue(2025, 2, (yamada, 10_000))
    sales = only(api_as("sales").get("/api/v1/invoices"))
    assert (sales["total"], sales["balance"], sales["payment_state"]) == (11_000, None, None)
    auditor = only(api_as("auditor").get("/api/v1/invoices"))
    assert (auditor["balance"], auditor["payment_state"]) == (11_000, "unpaid")
    assert api_as("logistics").get("/api/v1/invoices").status_code == 403


def test_the_admins_filters(api_as, issue, yamada, sato):  # noqa: F811
    feb = issue(2025, 2, (yamada, 10_000))
    mar = issue(2025, 3, (sato, 5_000))
    client = api_as("billing")

    def ids(query):
        response = client.get(f"/api/v1/invoices?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("month=2025-02") == {feb[yamada].pk}
    assert ids(f"customer_code={sato.code}") == {mar[sato].pk}
    assert ids(f"customer={yamada.pk}") == {feb[yamada].pk}
    assert ids("customer_name=佐藤") == {mar[sato].pk}
    assert ids(f"due_after={mar[sato].due_on}") == {mar[sato].pk}
    assert ids(f"due_before={feb[yamada].due_on}") == {feb[yamada].pk}
    assert ids("issued=true&month_state=closed") == {feb[yamada].pk, mar[sato].pk}
    assert ids("issued=false") == set()
    assert ids(f"number={feb[yamada].number}") == {feb[yamada].pk}
    for month in ("2025-13", "2025-02-01"):  # a month, not a date, as the schema's pattern says
        bad = client.get(f"/api/v1/invoices?month={month}")
        assert bad.status_code == 400 and bad.json()["errors"][0]["pointer"] == "#/month"


@pytest.mark.parametrize(
    "text", [f"{FIRST_DAY:%Y-%m}", f"{LAST_DAY:%Y-%m}", "2025-3", "1899-12", "2100-01", "2025-00", "2025-03-01"]
)
def test_the_schemas_month_pattern_takes_what_the_filter_reads(text):
    try:
        Month.parse(text)
    except ValidationError:
        assert not re.fullmatch(MONTH_PATTERN, text)
    else:
        assert re.fullmatch(MONTH_PATTERN, text)


def test_the_stored_pdf_is_served_as_it_was_issued(api_as, issue, yamada):  # noqa: F811
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    response = api_as("sales").get(f"/api/v1/invoices/{bill.pk}/pdf", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(InvoiceDocument.objects.get(invoice=bill).pdf) == b"%PDF-1.7 placeholder"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{bill.number:08d}.pdf"'


def test_no_pdf_yet_is_a_404_problem(api_as):
    unrendered = makers.receivable()  # issued, its document not rendered yet
    month = BillingMonth.objects.create(month=date(2025, 4, 1))
    draft = Invoice.objects.create(
        customer=f.customer(), month=month, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30)
    )
    client = api_as("billing")
    for invoice, why in [
        (unrendered, "The document is not rendered yet: try again in a moment."),
        (draft, "Written when the month closes."),
    ]:
        response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf")
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == why
    assert client.get(f"/api/v1/invoices/{unrendered.pk}")["ETag"]


def test_the_pdf_needs_the_documents_permission(api_as, issue, yamada):  # noqa: F811
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    refused = api_as("logistics").get(f"/api/v1/invoices/{bill.pk}/pdf")
    assert refused.status_code == 403 and refused.json()["code"] == "permission-denied"


def test_a_pdf_changed_behind_the_guards_is_never_served(api_as, issue, yamada):  # noqa: F811
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    with behind_every_guard() as cursor:
        cursor.execute("UPDATE billing_invoicedocument SET pdf = %s WHERE invoice_id = %s", [b"%PDF-1.7 x", bill.pk])
    with pytest.raises(Exception, match="does not match its checksum"):
        api_as("billing").get(f"/api/v1/invoices/{bill.pk}/pdf")


def test_a_page_costs_the_same_for_3_and_30_invoices(api_as, issue):  # noqa: F811
    customers = [f.customer() for _ in range(30)]
    issue(2025, 2, *[(c, 1_000) for c in customers[:3]])
    client = api_as("billing", Access.READ)
    client.get("/api/v1/invoices")  # the token's first use and the user's permissions, read once
    three = queries_of(client, "/api/v1/invoices")
    issue(2025, 3, *[(c, 1_000) for c in customers[3:]])
    assert queries_of(client, "/api/v1/invoices") == three
    assert len(client.get("/api/v1/invoices").json()["results"]) == 30
