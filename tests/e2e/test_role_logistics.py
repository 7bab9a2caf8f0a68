"""Logistics in the browser: a rented router is reported lost, the incident's charge is assessed from the
price list; the role meets no invoice or SLA page on the way."""

from datetime import date

import pytest

from equipment.choices import ChargeState, IncidentKind, UnitState
from equipment.models import Charge, Incident
from tests.equipment import factories as ef

from .steps import run_action, sign_in, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_logistics_reports_a_lost_router_and_assesses_its_charge(page, site):
    unit = ef.installed(ef.unit(), contract=ef.router_contract())
    sign_in(page, site, "logistics")

    page.goto(f"{site}/admin/equipment/unit/")
    tick(page, unit)
    run_action(page, "report_loss", kind=IncidentKind.LOSS, on="2025-03-01", note="客先で紛失")
    assert page.locator("ul.messagelist li.success").count() == 1
    unit.refresh_from_db()
    assert unit.status == UnitState.LOST
    incident = Incident.objects.get(unit=unit)

    page.goto(f"{site}/admin/equipment/incident/")
    tick(page, incident)
    run_action(page, "assess", on="2025-03-02")
    assert page.locator("ul.messagelist li.success").count() == 1
    charge = Charge.objects.get(incident=incident)
    assert (charge.status, charge.amount, charge.assessed_on) == (ChargeState.ASSESSED, 80_000, date(2025, 3, 2))

    # The unit's page tells its story; the invoices are not this role's to read.
    page.goto(f"{site}/admin/equipment/unit/{unit.pk}/change/")
    assert unit.serial in page.content()
    assert page.goto(f"{site}/admin/billing/invoice/").status == 403
    assert page.goto(f"{site}/admin/sla/outage/").status == 403
