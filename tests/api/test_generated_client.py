"""A client generated from the kept OpenAPI file (openapi-python-client) drives the live server with a token:
what the file promises, a generated client can call and read back.

``generated`` is the generated package (``backoffice_client``); ``operation("customers.customers_list")`` one of
its modules; ``api_client(role)`` an ``AuthenticatedClient`` of that role against the live server.
"""

import importlib
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from api.models import Access
from tests import factories

OPENAPI = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"
PACKAGE = "backoffice_client"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The client package generated from ``api/openapi.yaml``, imported; a generator warning fails the run."""
    root = tmp_path_factory.mktemp("generated")
    config = root / "config.json"
    config.write_text('{"post_hooks": []}')  # no formatter run on the generated code
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


def _cursor(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]
