"""Screens that say what they mean: yen with digit grouping, Japanese words instead of codes and Python
values, the invoice named one way, a 403 page in the admin's frame with a way back."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from backoffice.display import duration_text
from billing.models import Invoice, InvoiceLine
from contracts.choices import ServiceCode
from equipment.models import Charge, Unit
from receivables.services.payments import record_payment
from sla.models import Outage
from tests.billing.helpers import bill, bill_and_close, in_service
from tests.equipment import factories as ef
from tests.sla.builders import at, outage

from .conftest import change_url, changelist_url

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def japanese_client(client, staff):
    client.force_login(staff)
    return client


def test_charge_list_and_page_and_unit_cost_group_their_yen(japanese_client):
    charge = ef.assessed_charge()  # 80,000 yen from the price list
    assert "80,000" in japanese_client.get(changelist_url(Charge)).content.decode()
    assert "80,000" in japanese_client.get(change_url(charge)).content.decode()
    unit = charge.incident.unit
    assert "60,000" in japanese_client.get(change_url(unit)).content.decode()  # acquisition cost
    assert ">80000<" not in japanese_client.get(changelist_url(Charge)).content.decode()
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_an_outage_lasts_in_japanese_words(japanese_client):
    outage(at(2025, 3, 3, 10), timedelta(days=2))
    page = japanese_client.get(changelist_url(Outage)).content.decode()
    assert "2日0時間0分" in page and "2 days, 0:00:00" not in page


def test_outages_incidents_and_payments_are_labelled_with_dates_as_staff_write_them(japanese_client):
    row = outage(at(2025, 3, 3, 10, 0, 30), timedelta(days=2))
    incident = ef.loss()
    payment = record_payment(received_on=D(2025, 4, 1), amount=11_000, payer_name="ﾔﾏﾀﾞ")
    with translation.override("ja"):
        labels = [str(row), str(incident), str(payment)]
    assert labels[0].startswith("2025年3月3日10:00 ")
    assert labels[1].endswith(" 2025年3月1日") and labels[2].startswith("2025年4月1日 11,000円")
    assert not any("2025-" in label for label in labels)
    page = japanese_client.get(changelist_url(Outage)).content.decode()
    assert "2025年3月3日 10:00:30" in page and "2025-03-03" not in page  # to the second, as credits count


def test_durations_in_both_languages():
    with translation.override("ja"):
        assert duration_text(timedelta(hours=26, minutes=5)) == "1日2時間5分"
        assert duration_text(timedelta(minutes=90, seconds=3)) == "1時間30分3秒"
    with translation.override("en"):
        assert duration_text(timedelta(days=2)) == "2 days, 0 h 0 min"


def test_the_invoice_is_named_by_its_number_and_customer_before_and_after_issue(japanese_client):
    contract = in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    bill(2025, 2)
    invoice = Invoice.objects.get()
    page = japanese_client.get(change_url(invoice)).content.decode()
    assert f"(未発行) {contract.customer}" in page
    assert f"(未発行) {invoice.customer_id}<" not in page

    bill_and_close(2025, 2)
    issued = Invoice.objects.exclude(number=None).get()
    page = japanese_client.get(change_url(issued)).content.decode()
    assert page.count(issued.display_number) >= 2  # the heading and the number field agree
    assert f">{issued.number}<" not in page


def test_an_invoice_line_names_its_service(japanese_client):
    in_service(ServiceCode.MANAGED_ROUTER, accepted_on=D(2025, 1, 10), billing_on=D(2025, 1, 15))
    bill(2025, 2)
    line = InvoiceLine.objects.filter(service_code=ServiceCode.MANAGED_ROUTER).first()
    for url in (changelist_url(InvoiceLine), change_url(line)):
        page = japanese_client.get(url).content.decode()
        assert "マネージドルータサービス" in page
        assert ">managed_router<" not in page


def test_a_refused_page_is_japanese_in_the_admin_frame_with_a_way_home(login_as_role):
    client = login_as_role("logistics")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = client.get(reverse("admin:billing_invoice_changelist"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "権限がありません" in page and "403 Forbidden" not in page
    assert f'href="{reverse("admin:index")}"' in page


def test_the_time_zone_note_of_the_calendar_is_japanese(japanese_client):
    script = japanese_client.get(reverse("admin:jsi18n")).content.decode()
    # The catalogue's strings are JSON-escaped (\uXXXX); "unicode_escape" would also warn at its other escapes.
    catalog = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), script)
    assert "時刻はAsia/Tokyo" not in catalog  # the zone is filled in by the script
    assert "の時刻で入力してください" in catalog
