"""Every operation of the kept OpenAPI file, called by Schemathesis through the WSGI app (no server): no server
error, and every answer as the file describes it (status, content type, headers, body); data the schema
allows is accepted, data it forbids refused. Generic: it takes whatever operations ``api/openapi.yaml`` holds.

Two runs, bounded for CI on one core: a few derandomized examples of every operation with a read-write token
of each role (what a role may not do is a 403 problem, and what it may do answers as described); and, once,
every boundary and refusal the schema defines (Schemathesis's coverage phase) with a superuser's token,
which reaches every operation's validation. The database holds a customer, a related contract and a live
contract, so lists and rows have something to show.
"""

from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from contracts.choices import ServiceCode
from customers.choices import RelatedKind
from tests import factories

OPENAPI = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"
ROLES = ("sales", "logistics", "billing", "approver", "auditor")
#: A request the schema allows may still meet a stale ETag (412) or a rule of the terms (422).
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429"]
#: A missing ``If-Match`` is 428 (RFC 6585), beside the usual refusals of a missing header.
MISSING_HEADER = ["400", "401", "403", "406", "415", "422", "428"]
APP = get_wsgi_application()


def schema_with(*phases: str):
    config = schemathesis.Config.from_dict(
        {
            "phases": {name: {"enabled": name in phases} for name in ("examples", "coverage", "fuzzing", "stateful")},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ACCEPTED},
                "missing_required_header": {"expected-statuses": MISSING_HEADER},
            },
        }
    )
    schema = schemathesis.openapi.from_path(OPENAPI, config=config)
    schema.app = APP  # every request, the checks' own probes too, goes to the app in this process
    return schema


fuzzed = schema_with("examples", "fuzzing")
covered = schema_with("coverage")
BOUNDED = settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module", autouse=True)
def connection_kept():
    """The WSGI app leaves the test's connection (and its transaction) open between requests, as the test
    client does; a server would close it after each."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def rows(db):
    customer = factories.customer(name="株式会社スキーマ")
    factories.related(customer, RelatedKind.PBB)
    factories.activate(factories.contract(ServiceCode.CXM2, customer))


def call_as(case, raw: str) -> None:
    """Call the case with the token, which its headers carry too: the checks judge the request as it is sent
    (a case generated without the token, to be refused for that alone, is sent with it and may be answered)."""
    token = {"Authorization": f"Bearer {raw}"}
    case.headers.update(token)
    case.call_and_validate(headers=token)


@pytest.fixture(params=ROLES)
def role_token(request, rows, api_as):
    """A read-write token of a user of each role, with room for every request of the run."""
    return api_as(request.param, requests_per_minute=10_000).raw_token


@fuzzed.parametrize()
@BOUNDED
def test_every_operation_answers_each_role_as_the_schema_says(case, role_token):
    call_as(case, role_token)


@pytest.fixture
def superuser_token(rows, api_as):
    return api_as("superuser", requests_per_minute=10_000).raw_token


@covered.parametrize()
@BOUNDED
def test_every_boundary_and_refusal_the_schema_defines(case, superuser_token):
    call_as(case, superuser_token)
