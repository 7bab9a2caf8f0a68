"""A confirmation page rehearses its action: it runs the same checks and shows every amount the action will
record, so "yes" never meets a refusal the page could have told, and no figure shows as a dash."""

from datetime import date

import pytest
from django.utils import timezone

from contracts.choices import Status
from contracts.models import Contract
from equipment.models import Charge, Incident
from tests.equipment import factories as ef

from .conftest import changelist_url, messages_of

pytestmark = pytest.mark.django_db
D = date


def test_assessing_shows_the_amount_before_confirming(staff_client):
    incident = ef.loss()
    url = changelist_url(Incident)
    page = staff_client.post(
        url, {"action": "assess", "_selected_action": [incident.pk], "_step": "form", "on": "2025-03-02"}
    )
    assert page.context["confirm"]
    assert [(row, ok, text) for row, ok, text in page.context["outcomes"]] == [
        (incident, True, "Loss charge 80,000 yen")
    ]
    assert "80,000 yen" in page.content.decode()
    assert not Charge.objects.exists()  # the rehearsal kept nothing


def test_a_termination_the_terms_refuse_is_refused_before_its_confirmation(staff_client, cxm2_active):
    data = {"action": "terminate", "_selected_action": [cxm2_active.pk], "on": "2025-03-30"}
    page = staff_client.post(changelist_url(Contract), {**data, "_step": "form", "reason": "customer_request"})
    assert page.status_code == 200 and not page.context["confirm"]
    assert any("cancellation notice first" in m for m in messages_of(page))
    cxm2_active.refresh_from_db()
    assert cxm2_active.terminated_on is None


def test_the_approve_form_starts_with_today(staff_client):
    charge = ef.assessed_charge()
    page = staff_client.post(changelist_url(Charge), {"action": "approve", "_selected_action": [charge.pk]})
    assert page.context["form"]["on"].value() == timezone.localdate()


def test_the_confirmation_shows_each_row_as_it_still_is(staff_client, cxm2_active):
    data = {"action": "register_notice", "_selected_action": [cxm2_active.pk], "_step": "form"}
    page = staff_client.post(changelist_url(Contract), {**data, "received_on": "2025-03-01"})
    ((row, ok, _text),) = page.context["outcomes"]
    assert ok and row.status == Status.ACTIVE  # rehearsed, not moved
