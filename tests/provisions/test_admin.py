"""The records in the admin: added on their own pages with the rules, searched and filtered, shown read-only on
the pages of the contracts they concern (and only there)."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice import worklists
from backoffice.roles import BILLING, SALES
from contracts.choices import ServiceCode
from provisions.models import Consent, RegisteredAddress, UnavailabilityNotice
from tests import factories as f
from tests.admin.conftest import change_url, changelist_url

from .makers import address, consent, disclosure, isp, measurement, notice, parent, router, site, usage_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_sales_records_a_consent_given_by_itself_and_refusals_name_the_article(login_as_role):
    client = login_as_role(SALES)
    contract = router()
    data = {"contract": contract.pk, "kind": "move", "requested_on": "2025-03-01", "what": "new floor"}
    refused = client.post(reverse("admin:provisions_consent_add"), {**data, "given_on": "2025-02-01"})
    assert "requested" in str(refused.context["adminform"].form.errors)
    assert client.post(reverse("admin:provisions_consent_add"), {**data, "given_on": "2025-03-02"}).status_code == 302
    saved = Consent.objects.get()
    assert saved.given_by.username == "sales-staff" and saved.history.get().history_user == saved.given_by


def test_an_address_outside_ipv4_is_a_form_error_on_its_field(login_as_role):
    client = login_as_role(SALES)
    data = {"contract": parent().pk, "network": "2001:db8::1", "registered_on": "2025-02-01"}
    page = client.post(reverse("admin:provisions_registeredaddress_add"), data)
    assert "Cloud Proxy art. 8" in str(page.context["adminform"].form.errors["network"])
    assert not RegisteredAddress.objects.exists()


def test_lists_search_and_filter(login_as_role):
    client = login_as_role(BILLING)
    kept = address(network="198.51.100.0/24")
    address()
    page = client.get(changelist_url(RegisteredAddress), {"q": "198.51.100", "withdrawn_on__isnull": "True"})
    assert list(page.context["cl"].result_list) == [kept]
    given = consent()
    page = client.get(changelist_url(Consent), {"q": given.contract.number, "kind__exact": "move"})
    assert list(page.context["cl"].result_list) == [given]


def test_a_router_contracts_page_shows_its_sites_consents_and_notices_and_a_cxm2_page_none(staff_client):
    contract = router()
    site(contract)
    consent(contract)
    notice(contract, reason="ファームウェア更新")
    html = staff_client.get(change_url(contract)).content.decode()
    assert "東京都千代田区1-1" in html and "move to the new floor" in html and "ファームウェア更新" in html
    other = staff_client.get(change_url(f.activate(f.contract(ServiceCode.CXM2)))).content.decode()
    assert "installationsite_set-group" in html and "installationsite_set-group" not in other
    assert "registeredaddress_set-group" not in other
    assert "registeredaddress_set-group" in staff_client.get(change_url(address().contract)).content.decode()


def test_usage_requests_and_measurements_on_their_contracts_and_disclosures_on_their_port(staff_client):
    contract = isp()
    usage_request(contract, requested="利用者数の報告")
    measurement(contract, tight=True, proposed_on=date(2025, 4, 2), proposal="回線数の追加のご提案")
    html = staff_client.get(change_url(contract)).content.decode()
    assert "利用者数の報告" in html and "回線数の追加のご提案" in html
    row = disclosure(information="VNet 10.9.0.0/16")
    assert "VNet 10.9.0.0/16" in staff_client.get(change_url(row.option)).content.decode()


def test_the_index_lists_usage_reports_awaited_and_tight_bandwidth_without_a_proposal(login_as_role):
    usage_request()
    usage_request(replied_on=date(2025, 3, 5), reply="1,200 users")
    measurement(tight=True)
    measurement()
    user = login_as_role(SALES).get(reverse("admin:index")).wsgi_request.user
    links = {link.label: link for _, group in worklists.visible(user) for link in group}
    assert (links["Usage reports awaited"].count, links["Tight bandwidth, no change proposed"].count) == (1, 1)


def test_an_advance_notice_takes_its_period_as_staff_type_dates(login_as_role):
    """事前通知: 2025/03/05 and 2025年3月6日 in the date boxes, as every other form takes them."""
    client = login_as_role(SALES)
    data = {
        "contract": router().pk,
        "starts_at_0": "2025/03/05 22:00",
        "starts_at_1": "",
        "ends_at_0": "2025年3月6日",
        "ends_at_1": "2時30分",
        "cause": "software",
        "reason": "ファームウェア更新",
        "notified_on": "2025/2/20",
    }
    response = client.post(reverse("admin:provisions_unavailabilitynotice_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = UnavailabilityNotice.objects.get()
    assert timezone.localtime(saved.starts_at).replace(tzinfo=None) == datetime(2025, 3, 5, 22)
    assert timezone.localtime(saved.ends_at).replace(tzinfo=None) == datetime(2025, 3, 6, 2, 30)
