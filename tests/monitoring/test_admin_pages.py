"""The monitoring's lists on other apps' pages, as sales read them: the identifiers on their contract's page,
the alerts on their outage's page, neither on a page that adds a row."""

import pytest
from django.urls import reverse

from sla.models import Outage

from . import payloads
from .builders import ago, delivered, identified, source

pytestmark = pytest.mark.django_db


def test_the_contract_page_lists_its_identifiers_and_the_outage_page_its_alerts(client, login_as_role, worked_off):
    contract = identified(circuit_id="CX-PAGE-01", device="tky-core-09", port="xe-0/0/9")
    _row, token = source()
    alert = payloads.alert({"circuit_id": "CX-PAGE-01", "alertname": "CircuitDown"}, ago(5))
    delivered(client, worked_off, token, payloads.alertmanager(alert))
    outage = Outage.objects.get()
    login_as_role("sales")
    contract_page = client.get(reverse("admin:contracts_contract_change", args=[contract.pk])).content.decode()
    outage_page = client.get(reverse("admin:sla_outage_change", args=[outage.pk])).content.decode()
    assert "CX-PAGE-01" in contract_page and "xe-0/0/9" in contract_page
    assert "CircuitDown" in outage_page and alert["fingerprint"] in outage_page


def test_a_page_that_adds_a_row_shows_no_list_of_what_follows_it(client, login_as_role):
    login_as_role("sales")
    for url in (reverse("admin:sla_outage_add"), reverse("admin:contracts_contract_add")):
        page = client.get(url)
        assert page.status_code == 200
        assert b"alerts-TOTAL_FORMS" not in page.content and b"network_identifiers-TOTAL_FORMS" not in page.content
