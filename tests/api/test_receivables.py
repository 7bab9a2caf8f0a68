"""Receivables through the API: payments with their matches, what each issued invoice owes, a payment recorded
and a bank file's import started through the admin's own services, with the admin's permissions and limits."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from api.models import Access
from jobs.models import Job, JobState
from receivables.models import BankFile, Payment, PaymentSource
from receivables.services.allocations import match, undo_match
from receivables.services.bank_import_job import BANK_IMPORT
from receivables.services.payments import record_payment
from tests import factories as f
from tests.api.queries import queries_of
from tests.receivables.conftest import issue, sato, yamada  # noqa: F401  (invoices issued by billing's closing)

pytestmark = pytest.mark.django_db

#: A 全銀協 振込入金通知 as a bank sends it (the sample the receivables tests import).
NOTICE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "furikomi-sample.txt"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def paid(amount, on=date(2025, 3, 10), payer="ﾔﾏﾀﾞｼﾖｳｼﾞ"):
    return record_payment(received_on=on, amount=amount, payer_name=payer)


def test_a_payment_with_its_matches_and_state(api_as, issue, yamada):  # noqa: F811
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    payment = paid(15_000)
    first = match(payment, [bill], reason="test")
    undo_match(payment, reason="wrong customer")
    match(payment, [bill], reason="again")
    [row] = results(api_as("billing").get("/api/v1/payments"))
    assert (row["id"], row["amount"], row["allocated"], row["unallocated"]) == (payment.pk, 15_000, 15_000, 0)
    assert (row["state"], row["source"]) == ("matched", "manual")
    assert row["customer"] == {"id": yamada.pk, "code": yamada.code}
    undone, live = row["allocations"][: len(first)], row["allocations"][len(first) :]
    assert [(a["id"], a["undo_reason"]) for a in undone] == [(a.pk, "wrong customer") for a in first]
    assert {(a["kind"], a["amount"], a["invoice"], a["undone_at"]) for a in live} == {
        ("payment", 11_000, bill.pk, None),
        ("credit", 4_000, None, None),  # what it paid beyond the invoice: the customer's credit
    }


def test_payments_filter_as_the_admin(api_as, issue, yamada):  # noqa: F811
    bill = issue(2025, 2, (yamada, 10_000))[yamada]
    matched = paid(11_000)
    match(matched, [bill], reason="test")
    waiting = paid(5_000, on=date(2025, 4, 1), payer="ｻﾄｳｺｳｷﾞﾖｳ")
    client = api_as("billing")

    def ids(query):
        return {row["id"] for row in results(client.get(f"/api/v1/payments?{query}"))}

    assert ids("matched=open") == {waiting.pk}
    assert ids("matched=done") == {matched.pk}
    assert ids("received_after=2025-03-11") == {waiting.pk}
    assert ids("amount_min=6000&amount_max=20000") == {matched.pk}
    assert ids("payer=ｻﾄｳ") == ids("payer=サトウ") == {waiting.pk}
    assert ids(f"payer={yamada.code}") == ids(f"customer={yamada.pk}") == {matched.pk}
    assert ids("source=bank_file") == set()
    for query, pointer in (("amount_min=0.5", "#/amount_min"), (f"customer={2**63}", "#/customer")):
        refused = client.get(f"/api/v1/payments?{query}")  # whole yen, an id a column holds, as the schema says
        assert refused.status_code == 400 and refused.json()["errors"][0]["pointer"] == pointer


def test_a_page_of_payments_costs_the_same_for_3_and_30(api_as, issue):  # noqa: F811
    customers = [f.customer() for _ in range(30)]
    bills = issue(2025, 2, *[(c, 1_000) for c in customers])

    def pay(some):
        for customer in some:
            match(paid(1_100 + 500), [bills[customer]], reason="test")

    pay(customers[:3])
    client = api_as("billing", Access.READ)
    client.get("/api/v1/payments")  # the token's first use and the user's permissions, read once
    three = queries_of(client, "/api/v1/payments")
    pay(customers[3:])
    assert queries_of(client, "/api/v1/payments") == three
    assert len(results(client.get("/api/v1/payments"))) == 30
    assert queries_of(client, "/api/v1/balances") == queries_of(client, "/api/v1/balances?limit=3")


def test_balances_as_receivables_keeps_them(api_as, issue, yamada, sato, today):  # noqa: F811
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    match(paid(4_000), [bills[yamada]], reason="part")
    today(bills[yamada].due_on + timedelta(days=10))
    client = api_as("billing")
    rows = {row["id"]: row for row in results(client.get("/api/v1/balances"))}
    owing = rows[bills[yamada].pk]
    assert (owing["total"], owing["settled"], owing["balance"], owing["payment_state"]) == (11_000, 4_000, 7_000,
                                                                                             "partly_paid")  # fmt: skip
    assert owing["customer"] == {"id": yamada.pk, "code": yamada.code} and owing["month"] == "2025-02"
    assert owing["days_overdue"] == 10
    assert {row["id"] for row in results(client.get("/api/v1/balances?payment_state=unpaid"))} == {bills[sato].pk}
    assert len(results(client.get("/api/v1/balances?overdue=true"))) == 2
    assert results(client.get("/api/v1/balances?total_min=6000"))[0]["id"] == bills[yamada].pk
    single = client.get(f"/api/v1/balances/{bills[sato].pk}")
    assert single.json()["balance"] == 5_500 and single["ETag"]
    assert api_as("sales").get("/api/v1/balances").status_code == 403  # receivables are billing's and the auditor's
    assert api_as("auditor").get("/api/v1/balances").status_code == 200


def test_a_payment_only_part_of_which_is_matched(api_as):
    payment = paid(5_000)
    assert results(api_as("billing").get("/api/v1/payments"))[0]["state"] == "unmatched"
    Payment.objects.filter(pk=payment.pk).update(allocated=2_000)  # as a match in progress would leave it
    assert results(api_as("auditor").get("/api/v1/payments"))[0]["state"] == "partly_matched"


PAYMENT = {"received_on": "2025-03-10", "amount": 11_000, "payer_name": "ﾔﾏﾀﾞｼﾖｳｼﾞ", "note": "現金"}


def test_record_a_payment(api_as):
    client = api_as("billing")
    response = client.post("/api/v1/payments", PAYMENT, format="json")
    assert response.status_code == 201, response.json()
    payment = Payment.objects.get()
    assert response["Location"] == f"/api/v1/payments/{payment.pk}" and response["ETag"]
    assert response.json()["id"] == payment.pk and response.json()["state"] == "unmatched"
    assert (payment.source, payment.amount, payment.created_by) == (PaymentSource.MANUAL, 11_000, client.user)
    history = payment.history.get()
    assert history.history_user == client.user and history.history_change_reason.startswith("Entered by hand — API (")


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [
        ({"amount": 0}, "#/amount", "Ensure this value is greater than or equal to 1."),
        ({"payer_name": ""}, "#/payer_name", "This field cannot be blank."),
    ],
)
def test_the_services_refusal_is_a_422_problem(api_as, change, pointer, message):
    response = api_as("billing").post("/api/v1/payments", {**PAYMENT, **change}, format="json")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert {"pointer": pointer, "detail": message, "code": response.json()["errors"][0]["code"]} in response.json()[
        "errors"
    ]
    assert not Payment.objects.exists()


def test_who_may_record_a_payment(api_as):
    assert api_as("billing", Access.READ).post("/api/v1/payments", PAYMENT, format="json").status_code == 403
    for role in ("sales", "auditor", "approver"):  # the auditor reads payments, records none
        refused = api_as(role).post("/api/v1/payments", PAYMENT, format="json")
        assert refused.status_code == 403 and refused.json()["detail"] == "Your role may not do this."
    assert not Payment.objects.exists()


def test_an_idempotency_key_records_one_payment(api_as):
    client = api_as("billing")
    first = client.post("/api/v1/payments", PAYMENT, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    again = client.post("/api/v1/payments", PAYMENT, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert again["Location"] == first["Location"]
    other = client.post("/api/v1/payments", {**PAYMENT, "amount": 12_000}, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert other.status_code == 422 and "another request" in other.json()["detail"]
    assert Payment.objects.count() == 1


def upload(client, data=None, **fields):
    body = {"file": SimpleUploadedFile(NOTICE.name, NOTICE.read_bytes() if data is None else data), **fields}
    return client.post("/api/v1/bank-files", body, format="multipart")


def test_a_bank_file_upload_starts_its_import_job(api_as, worked_off):
    client = api_as("billing")
    with worked_off():
        response = upload(client, dry_run="false")
        assert response.status_code == 202, response.json()
        assert not Payment.objects.exists()  # the answer comes at once; the job imports
    job = Job.objects.get()
    answered = response.json()
    assert (answered["id"], answered["kind"], answered["state"]) == (job.pk, BANK_IMPORT.name, "queued")
    assert answered["description"] == f"Bank file {NOTICE.name}"
    assert response["Location"] == f"/api/v1/jobs/{job.pk}"
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.started_by == client.user and job.upload.name == NOTICE.name
    assert "API (" in job.history.earliest().history_change_reason
    assert Payment.objects.filter(source=PaymentSource.BANK_FILE).count() == 3
    assert BankFile.objects.get().imported_by == client.user
    listed = results(client.get("/api/v1/bank-files?file_format=zengin_01"))
    assert [(row["name"], row["payments_count"]) for row in listed] == [(NOTICE.name, 3)]
    again = upload(client, dry_run="false")
    assert again.status_code == 422 and "already imported" in again.json()["detail"]


def test_a_bank_file_is_a_dry_run_unless_told(api_as, worked_off):
    with worked_off():
        assert upload(api_as("billing")).status_code == 202
    job = Job.objects.get()
    assert job.arguments == {"dry_run": True} and job.state == JobState.DONE
    assert not Payment.objects.exists() and not BankFile.objects.exists()


def test_bank_file_refusals(api_as, make_token):
    client = api_as("billing")
    guessed = upload(client, dry_run="0")  # true or false, as the schema's boolean: "0" is not guessed
    assert guessed.status_code == 400 and guessed.json()["errors"][0]["pointer"] == "#/dry_run"
    empty = upload(client, data=b"  \n")
    assert empty.status_code == 422 and empty.json()["detail"] == "The file is empty."
    with override_settings(MAX_UPLOAD_BYTES=1024):
        large = upload(client)
    assert large.status_code == 400 and large["Content-Type"] == "application/problem+json"
    refusal = {"pointer": "#/file", "detail": "The file is larger than 0 MB.", "code": "too_large"}
    assert large.json()["errors"] == [refusal]
    as_json = client.post("/api/v1/bank-files", {"file": "x"}, format="json")
    assert as_json.status_code == 415
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(client.user, Access.READ)}")
    assert upload(client).status_code == 403
    assert upload(api_as("auditor")).status_code == 403
    assert not Job.objects.exists()


def test_an_upload_retried_with_its_idempotency_key_starts_one_job(api_as):
    client = api_as("billing")
    first, again = (
        client.post(
            "/api/v1/bank-files",
            {"file": SimpleUploadedFile(NOTICE.name, NOTICE.read_bytes())},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )
        for _ in range(2)
    )
    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and Job.objects.count() == 1


def test_an_upload_larger_than_memory_keeps_its_idempotency_key(api_as, settings):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE is fingerprinted from the file's chunks, not read whole."""
    big = NOTICE.read_bytes() + b"\r\n" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2 + 10)
    client = api_as("billing")
    answers = [
        client.post(
            "/api/v1/bank-files",
            {"file": SimpleUploadedFile(NOTICE.name, big)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="big-upload",
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [202, 202]
    assert answers[1]["Idempotent-Replayed"] == "true" and Job.objects.count() == 1
