"""Units through the API: read with the admin's filters and their moves, moved through the admin's services
under If-Match, with the admin's permission; a refused move is the service's own message (422)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import Access
from equipment.choices import ReturnCondition, UnitState
from equipment.models import Incident, Unit
from equipment.services import units
from tests.equipment import factories as ef

pytestmark = pytest.mark.django_db

D = date


def _etag(client, unit) -> str:
    response = client.get(f"/api/v1/units/{unit.pk}")
    assert response.status_code == 200
    return response["ETag"]


def _move(client, unit, verb, data=None, **headers):
    if "HTTP_IF_MATCH" not in headers:
        headers["HTTP_IF_MATCH"] = _etag(client, unit)
    return client.post(f"/api/v1/units/{unit.pk}/{verb}", data or {}, format="json", **headers)


def _held_units(count: int) -> None:
    """``count`` units, a third on Managed Router contracts, a third on router rental options, a third in stock."""
    for n in range(count):
        if n % 3 == 0:
            ef.installed(ef.unit(), contract=ef.router_contract())
        elif n % 3 == 1:
            ef.installed(ef.unit(), option=ef.rental_option(1))
        else:
            ef.unit()


def test_the_list_costs_the_same_for_3_and_30_units(api_as, django_assert_num_queries):
    client = api_as("logistics", Access.READ)
    _held_units(3)
    client.get("/api/v1/units")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/api/v1/units").json()["results"]) == 3
    _held_units(27)
    with django_assert_num_queries(len(three)):
        rows = client.get("/api/v1/units?limit=100").json()["results"]
    assert len(rows) == 30
    held = next(row for row in rows if row["option"])
    assert held["contract_number"] and held["customer"] and held["status"] == UnitState.INSTALLED
    assert held["unit_model"]["maker"] == "Yamaha"


def test_the_admins_filters(api_as, router_contract_unit):
    client = api_as("sales", Access.READ)
    stock = ef.unit()
    installed = router_contract_unit

    def serials(query):
        response = client.get(f"/api/v1/units?{query}")
        assert response.status_code == 200, response.json()
        return {row["serial"] for row in response.json()["results"]}

    assert serials("holder=stock") == {stock.serial}
    assert serials("holder=contract") == {installed.serial}
    assert serials("status=installed") == {installed.serial}
    assert serials(f"contract_number={installed.contract.number}") == {installed.serial}
    assert serials(f"serial={stock.serial[-3:]}") == {stock.serial}
    assert serials("worklist=to_ship") == set()
    assert serials("found=false") == {stock.serial, installed.serial}
    assert client.get("/api/v1/units?worklist=nothing").status_code == 400


def test_a_units_moves_newest_first(api_as, router_contract_unit):
    response = api_as("sales", Access.READ).get(f"/api/v1/units/{router_contract_unit.pk}/moves")
    assert response.status_code == 200
    moves = [(row["from_status"], row["to_status"]) for row in response.json()["results"]]
    assert moves == [
        (UnitState.SHIPPED, UnitState.INSTALLED),
        (UnitState.ASSIGNED, UnitState.SHIPPED),
        (UnitState.IN_STOCK, UnitState.ASSIGNED),
        ("", UnitState.IN_STOCK),
    ]


@pytest.fixture
def router_contract_unit():
    return ef.installed(ef.unit(), contract=ef.router_contract())


def test_a_unit_goes_round_through_the_api(api_as):
    client = api_as("logistics")
    contract = ef.router_contract()
    unit = ef.unit()
    steps = [
        ("assign", {"on": "2025-02-01", "contract": contract.pk}, UnitState.ASSIGNED),
        ("ship", {"on": "2025-02-02", "carrier": "Yamato", "tracking_number": "1-2"}, UnitState.SHIPPED),
        ("install", {"on": "2025-02-03"}, UnitState.INSTALLED),
        ("request-return", {"on": "2025-03-01", "deadline": "2025-03-31"}, UnitState.RETURN_REQUESTED),
        ("receive-return", {"on": "2025-03-10", "condition": ReturnCondition.GOOD}, UnitState.RETURNED),
        ("refurbish", {"on": "2025-03-11"}, UnitState.REFURBISHED),
        ("restock", {"on": "2025-03-12", "note": "clean"}, UnitState.IN_STOCK),
    ]
    for verb, data, state in steps:
        response = _move(client, unit, verb, data)
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == state
        assert response["ETag"] == _etag(client, unit)
    unit.refresh_from_db()
    assert unit.status == UnitState.IN_STOCK and unit.contract is None
    last = unit.events.latest("pk")
    assert (last.by, last.note) == (client.user, "clean")
    history = unit.history.latest()
    assert history.history_user == client.user and history.history_change_reason.endswith("— API (t0)")


def test_a_damaged_return_opens_its_incident(api_as, router_contract_unit):
    client = api_as("logistics")
    units.request_return(router_contract_unit, on=D(2025, 3, 1), deadline=D(2025, 3, 31))
    response = _move(client, router_contract_unit, "receive-return", {"on": "2025-03-05", "condition": "damaged"})
    assert response.status_code == 200
    assert Incident.objects.get(unit=router_contract_unit).kind == "damage"


def test_report_loss_and_mark_found(api_as, router_contract_unit):
    client = api_as("logistics")
    assert _move(client, router_contract_unit, "report-loss", {"on": "2025-03-01", "kind": "loss"}).status_code == 200
    response = _move(client, router_contract_unit, "mark-found", {"on": "2025-03-02"})
    assert response.status_code == 200 and response.json()["found"] is True
    assert response.json()["status"] == UnitState.LOST


@pytest.mark.parametrize(
    ("verb", "data", "says"),
    [
        ("refurbish", {"on": "2025-03-01"}, "cannot move from “Installed” to “Refurbished”."),
        ("request-return", {"on": "2025-01-19", "deadline": "2025-03-01"}, "cannot come before its last move"),
        ("request-return", {"on": "2025-03-01", "deadline": "2025-02-01"}, "The deadline cannot come before"),
        ("mark-found", {"on": "2025-03-01"}, "Only a lost unit"),
    ],
)
def test_a_refused_move_is_the_services_refusal(api_as, router_contract_unit, verb, data, says):
    client = api_as("logistics")
    response = _move(client, router_contract_unit, verb, data)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert says in response.json()["detail"]
    router_contract_unit.refresh_from_db()
    assert router_contract_unit.status == UnitState.INSTALLED


def test_assigning_needs_one_holder(api_as):
    response = _move(api_as("logistics"), ef.unit(), "assign", {"on": "2025-02-01"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Choose one Managed Router contract or one router rental option."


def test_a_bad_input_is_400_by_field(api_as):
    response = _move(api_as("logistics"), ef.unit(), "request-return", {"on": "not a day"})
    assert response.status_code == 400
    assert {error["pointer"] for error in response.json()["errors"]} == {"#/on", "#/deadline"}


def test_who_may_move(api_as, router_contract_unit):
    read_only = api_as("logistics", Access.READ)
    response = _move(read_only, router_contract_unit, "report-failure", {"on": "2025-03-01"})
    assert response.status_code == 403 and response.json()["detail"] == "This token is read-only."
    for role in ("sales", "billing", "approver"):
        response = _move(api_as(role), router_contract_unit, "report-failure", {"on": "2025-03-01"})
        assert response.status_code == 403 and response.json()["detail"] == "Your role may not do this."
    assert Unit.objects.get().status == UnitState.INSTALLED


def test_if_match_is_required_and_must_be_current(api_as, router_contract_unit):
    client = api_as("logistics")
    stale = _etag(client, router_contract_unit)
    missing = client.post(
        f"/api/v1/units/{router_contract_unit.pk}/report-failure", {"on": "2025-03-01"}, format="json"
    )
    assert missing.status_code == 428 and missing.json()["code"] == "if-match-required"
    Unit.objects.filter(pk=router_contract_unit.pk).update(note="changed meanwhile")
    response = _move(client, router_contract_unit, "report-failure", {"on": "2025-03-01"}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412 and response.json()["code"] == "stale-etag"
    assert not Incident.objects.exists()


def test_a_retried_move_with_its_idempotency_key_acts_once(api_as, router_contract_unit):
    client = api_as("logistics")
    etag = _etag(client, router_contract_unit)
    headers = {"HTTP_IF_MATCH": etag, "HTTP_IDEMPOTENCY_KEY": "report-1"}
    first = _move(client, router_contract_unit, "report-failure", {"on": "2025-03-01"}, **headers)
    again = _move(client, router_contract_unit, "report-failure", {"on": "2025-03-01"}, **headers)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json() and again["ETag"] == first["ETag"]
    assert Incident.objects.filter(unit=router_contract_unit).count() == 1
    assert router_contract_unit.events.filter(to_status=UnitState.FAILURE_REPORTED).count() == 1
