"""A client generated from the kept OpenAPI file (openapi-python-client) drives the live server with a token:
what the file promises, a generated client can call and read back.

``generated`` is the generated package (``backoffice_client``); ``operation("customers.customers_list")`` one of
its modules; ``api_client(role)`` an ``AuthenticatedClient`` of that role against the live server.
"""

import importlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from api.models import Access, ApiToken
from tests import factories

OPENAPI = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"
PACKAGE = "backoffice_client"
#: No formatter runs on the generated code. The generator reads JSON and ``application/octet-stream`` bodies
#: only: the invoice's PDF (``application/pdf``, as the server sends it) is read as the bytes it is.
GENERATOR_CONFIG = {"post_hooks": [], "content_type_overrides": {"application/pdf": "application/octet-stream"}}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The client package generated from ``api/openapi.yaml``, imported; a generator warning fails the run."""
    root = tmp_path_factory.mktemp("generated")
    config = root / "config.json"
    config.write_text(json.dumps(GENERATOR_CONFIG))
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(OPENAPI)]
    command += ["--output-path", str(root / PACKAGE), "--meta", "none", "--config", str(config), "--fail-on-warning"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def operation(generated):
    """``operation("customers.customers_list")``: the generated module of that tag and operation id."""
    return lambda name: importlib.import_module(f"{PACKAGE}.api.{name}")


@pytest.fixture
def api_client(generated, live_server, api_as):
    """``api_client("sales", access="write")``: a generated ``AuthenticatedClient`` with a token of that role,
    raising on any status the file does not declare."""

    def make(role: str, access=Access.WRITE):
        token = api_as(role, access).raw_token
        return generated.AuthenticatedClient(
            base_url=live_server.url, token=token, raise_on_unexpected_status=True, headers={"Accept-Language": "en"}
        )

    return make


def test_the_generated_client_lists_and_reads_customers(api_client, operation):
    first = factories.customer(name="株式会社一番")
    factories.customer(name="株式会社二番")
    client = api_client("sales", Access.READ)

    page = operation("customers.customers_list").sync(client=client, limit=1)
    assert [row.name for row in page.results] == ["株式会社二番"] and page.next_
    rest = operation("customers.customers_list").sync(client=client, cursor=_cursor(page.next_))
    assert [row.name for row in rest.results] == ["株式会社一番"]

    answer = operation("customers.customers_retrieve").sync_detailed(client=client, id=first.pk)
    assert answer.status_code == 200 and answer.headers["ETag"].startswith('"')
    assert (answer.parsed.code, answer.parsed.kind.value) == (first.code, first.kind)


def test_a_refusal_reads_as_a_problem(api_client, operation):
    missing = operation("customers.customers_retrieve").sync_detailed(client=api_client("auditor"), id=999_999)
    assert missing.status_code == 404
    assert (missing.parsed.code, missing.parsed.title) == ("not-found", "Not found")


def test_a_contract_applied_for_through_the_client_is_billed_and_its_invoice_read(api_client, operation, worked_off):
    """The issue's end to end: sales apply for a contract, accept it and start its billing through the
    client; billing runs and closes the month as a clerk does (the commands, the workers rendering the
    documents); the invoice names the contract and its PDF downloads."""
    models = importlib.import_module(f"{PACKAGE}.models")
    customer = factories.customer(name="株式会社エンドツーエンド")
    sales = api_client("sales")
    application = models.ContractApplicationRequest.from_dict(
        {
            "customer": customer.pk,
            "item": "cxm2.100m",
            "application_type": "active",
            "route": "microsoft",
            "region": "tokyo",
            "applied_on": "2026-10-01",
        }
    )
    answer = operation("contracts.contracts_create").sync_detailed(client=sales, body=application)
    assert answer.status_code == 201 and answer.parsed.status.value == "applied"
    contract = answer.parsed.id
    for verb, body, status in [
        ("accept", models.AcceptanceRequest(on=date(2026, 10, 5)), "accepted"),
        ("start_billing", models.OnDayRequest(on=date(2026, 11, 1)), "active"),
    ]:
        act = operation(f"contracts.contracts_{verb}_create")
        answer = act.sync_detailed(client=sales, id=contract, body=body, if_match=answer.headers["ETag"])
        assert (answer.status_code, answer.parsed.status.value) == (200, status)

    billing = api_client("billing", Access.READ)
    clerk = ApiToken.objects.get(user__groups__name="billing").user.username
    call_command("run_billing", "--month=2026-11", f"--user={clerk}")
    with worked_off():
        call_command("close_billing_month", "--month=2026-11", "--issued-on=2026-11-30", f"--user={clerk}")

    [invoice] = operation("invoices.invoices_list").sync(client=billing, customer=customer.pk).results
    assert (invoice.month, invoice.issued_on, invoice.estimate) == ("2026-11", date(2026, 11, 30), False)
    assert {line.contract for line in invoice.lines} == {contract} and invoice.total > 0
    assert invoice.pdf == f"/api/v1/invoices/{invoice.id}/pdf"
    pdf = operation("invoices.invoices_pdf_retrieve").sync(client=billing, id=invoice.id)
    assert pdf.payload.read().startswith(b"%PDF")


def _cursor(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]
