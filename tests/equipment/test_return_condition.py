"""The loss/damage workflow on returns: a unit awaited back can be reported lost or damaged, and a return is
received with its condition, a damaged one opening the damage incident its charge needs (Managed Router
art. 7 ¶2, art. 9; ISP Platform art. 7)."""

from datetime import date

import pytest

from equipment.choices import IncidentKind, ReturnCondition, UnitState
from equipment.models import Incident
from equipment.services import incidents, units
from tests.admin.conftest import changelist_url, messages_of, run_action

from .conftest import installed

pytestmark = pytest.mark.django_db
D = date
S = UnitState


@pytest.fixture
def awaited(make_unit, router_contract):
    row = installed(make_unit(), contract=router_contract)
    units.request_return(row, on=D(2025, 5, 31), deadline=D(2025, 6, 30))
    row.refresh_from_db()
    return row


@pytest.mark.parametrize("kind,state", [(IncidentKind.DAMAGE, S.DAMAGED), (IncidentKind.LOSS, S.LOST)])
def test_a_unit_awaiting_its_return_can_be_reported_lost_or_damaged(awaited, router_contract, kind, state):
    incident = incidents.report_loss_or_damage(awaited, kind, on=D(2025, 6, 5))
    awaited.refresh_from_db()
    assert (awaited.status, awaited.return_deadline, awaited.contract) == (state, None, router_contract)
    assert (incident.kind, incident.contract) == (kind, router_contract)


def test_the_admin_reports_damage_on_a_unit_asked_back(staff_client, awaited):
    response = run_action(
        staff_client, type(awaited), "report_loss", [awaited], kind=IncidentKind.DAMAGE, on=D(2025, 6, 5), note=""
    )
    assert response.status_code == 302, messages_of(response)
    awaited.refresh_from_db()
    assert awaited.status == S.DAMAGED


@pytest.mark.parametrize("condition", [ReturnCondition.DAMAGED, ReturnCondition.PARTS_MISSING])
def test_a_return_received_damaged_opens_a_damage_incident_for_its_holder(awaited, router_contract, condition):
    incident = incidents.receive_return(awaited, condition=condition, on=D(2025, 6, 10), note="case cracked")
    awaited.refresh_from_db()
    assert (awaited.status, awaited.contract, awaited.return_deadline) == (S.RETURNED, None, None)
    assert (incident.kind, incident.contract, incident.reported_on) == (
        IncidentKind.DAMAGE,
        router_contract,
        D(2025, 6, 10),
    )
    assert incident.note == f"{ReturnCondition(condition).label}: case cracked"
    assert awaited.events.latest("pk").condition == condition


def test_a_return_in_good_condition_opens_nothing(awaited):
    assert incidents.receive_return(awaited, condition=ReturnCondition.GOOD, on=D(2025, 6, 10)) is None
    assert not Incident.objects.filter(unit=awaited).exists()
    assert awaited.events.latest("pk").condition == ReturnCondition.GOOD


def test_a_lost_unit_coming_back_damaged_keeps_its_one_incident(awaited):
    incidents.report_loss_or_damage(awaited, IncidentKind.LOSS, on=D(2025, 6, 5))
    assert incidents.receive_return(awaited, condition=ReturnCondition.DAMAGED, on=D(2025, 6, 10)) is None
    assert Incident.objects.filter(unit=awaited).count() == 1


def test_the_admin_receives_a_return_with_its_condition(staff_client, awaited):
    page = staff_client.post(
        changelist_url(type(awaited)), {"action": "receive_return", "_selected_action": [awaited.pk]}
    )
    assert "condition" in page.context["form"].fields
    response = run_action(
        staff_client,
        type(awaited),
        "receive_return",
        [awaited],
        on=D(2025, 6, 10),
        condition=ReturnCondition.DAMAGED,
        note="antenna broken",
        carrier="",
        tracking_number="",
    )
    assert response.status_code == 302, messages_of(response)
    assert Incident.objects.get(unit=awaited).kind == IncidentKind.DAMAGE
