"""Small faults of the screens: the calendar's icon on action pages, one way back from a confirmation, the
router rental return period only where it applies, no "view on site" into the admin, worklists titled apart
from the apps, one select prompt."""

import pytest
from django.conf import settings
from django.urls import reverse

from contracts.models import Contract
from sla.models import Outage
from tests.equipment import factories as ef

from .conftest import change_url, changelist_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ja_client(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    client.force_login(staff)
    return client


def test_an_action_page_has_the_calendar_icon_styles(ja_client, cxm2_active):
    page = ja_client.post(changelist_url(Contract), {"action": "register_notice", "_selected_action": [cxm2_active.pk]})
    assert "admin/css/widgets.css" in page.content.decode()


def test_a_confirmation_has_one_way_back(ja_client, cxm2_active):
    data = {"action": "register_notice", "_selected_action": [cxm2_active.pk], "_step": "form"}
    page = ja_client.post(changelist_url(Contract), {**data, "received_on": "2025-03-01"}).content.decode()
    assert page.count('name="_back"') == 1 and "cancel-link" not in page


def test_only_a_router_rental_unit_shows_the_router_rental_return_period(ja_client):
    managed = ef.installed(ef.unit(), contract=ef.router_contract())
    rented = ef.installed(ef.unit(), option=ef.rental_option())
    assert "ルータ貸出" not in ja_client.get(change_url(managed)).content.decode().split('id="content-main"')[1]
    assert "field-return_days" in ja_client.get(change_url(rented)).content.decode()
    assert "field-return_days" not in ja_client.get(change_url(managed)).content.decode()


def test_no_page_offers_to_view_on_site(ja_client):
    incident = ef.loss()
    for url in (change_url(incident.unit), change_url(incident)):
        assert "サイト上で表示" not in ja_client.get(url).content.decode()


def test_worklists_are_titled_apart_from_the_apps(ja_client):
    ef.assessed_charge()
    page = ja_client.get(reverse("admin:index")).content.decode()
    assert "対応待ち: " in page


def test_the_outage_page_uses_the_one_select_prompt(ja_client):
    page = ja_client.get(changelist_url(Outage) + "add/").content.decode()
    assert "---------" not in page and "- 選択してください -" in page
