"""The monitoring's lists on other apps' pages, as sales read them: the identifiers on their contract's page,
the alerts on their outage's page, neither on a page that adds a row."""

import re

import pytest
from django.urls import reverse

from backoffice import bearer
from monitoring.models import Source
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


def test_a_superuser_sees_a_source_s_token_once_and_a_new_one_after_being_asked(admin_client):
    added = admin_client.post(
        reverse("admin:monitoring_source_add"), {"name": "prom-tokyo", "kind": "alertmanager", "active": "on"}
    )
    token = re.search(r'<code id="shown-once"[^>]*>(mon_[^<]+)</code>', added.content.decode()).group(1)
    row = Source.objects.get()
    assert "no-store" in added["Cache-Control"] and bearer.matches(row.token_digest, token)
    page = reverse("admin:monitoring_source_change", args=[row.pk])
    assert token not in admin_client.get(page).content.decode()
    rotate = reverse("admin:monitoring_source_rotate", args=[row.pk])
    assert token not in admin_client.get(rotate).content.decode()  # asks first
    rotated = admin_client.post(rotate).content.decode()
    new = re.search(r'<code id="shown-once"[^>]*>(mon_[^<]+)</code>', rotated).group(1)
    row.refresh_from_db()
    assert new != token and bearer.matches(row.token_digest, new) and not bearer.matches(row.token_digest, token)


def test_sales_cannot_reach_the_sources(client, login_as_role):
    login_as_role("sales")
    assert client.get(reverse("admin:monitoring_source_changelist")).status_code == 403
