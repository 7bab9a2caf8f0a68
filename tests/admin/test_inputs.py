"""What every field accepts and how a refusal reads, tried in the admin: numbers within their
ranges, refusals on the field naming the article, never a server error."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from contracts.choices import ApplicationType, ServiceCode, Status
from contracts.models import Contract, Item
from tests import factories as f

from .conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db

NO_AREAS = {"bandwidth_areas-TOTAL_FORMS": "0", "bandwidth_areas-INITIAL_FORMS": "0"}


def add_contract(client, customer, item: str, **fields):
    data = {"customer": customer.pk, "item": item, "applied_on": "2025-01-06", **NO_AREAS, **fields}
    return client.post(changelist_url(Contract) + "add/", data)


# --- numbers have a range, in the forms and in the database ------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"min_months": 100000}, {"notice_days": 3000000}, {"monthly_fee": 9223372036854775807}],
    ids=["months", "notice-days", "yen"],
)
def test_override_terms_out_of_range_is_refused_on_the_form(staff_client, cxm2_active, fields):
    response = run_action(staff_client, Contract, "override_terms", [cxm2_active], reason="deal", **fields)
    assert response.status_code == 200
    assert not response.context["confirm"] and set(response.context["form"].errors) == set(fields)
    cxm2_active.refresh_from_db()
    assert (cxm2_active.min_months, cxm2_active.notice_days, cxm2_active.monthly_fee) == (1, 30, 60000)


def test_cancellation_after_the_largest_override_still_works(staff_client, cxm2_active):
    run_action(staff_client, Contract, "override_terms", [cxm2_active], reason="deal", min_months=120, notice_days=365)
    response = run_action(staff_client, Contract, "register_notice", [cxm2_active], received_on=date(2025, 3, 1))
    assert response.status_code == 302, response
    cxm2_active.refresh_from_db()
    assert (cxm2_active.status, cxm2_active.effective_end_on) == (Status.CANCELLING, date(2026, 3, 1))


def test_accept_with_an_absurd_fee_is_refused_on_the_form(staff_client):
    contract = f.contract(ServiceCode.CXM2)
    response = run_action(staff_client, Contract, "accept", [contract], on=date(2025, 1, 10), monthly_fee=10**10)
    assert "monthly_fee" in response.context["form"].errors


def test_a_list_price_out_of_range_is_refused_on_its_field(staff_client):
    item = Item.objects.get(code="cxm2.100m")
    data = change_form_data(staff_client.get(change_url(item)))
    response = staff_client.post(change_url(item), {**data, "monthly_fee": "9223372036854775807"})
    assert response.status_code == 200 and "monthly_fee" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.monthly_fee != 9223372036854775807


@pytest.mark.parametrize(
    ("field", "value"), [("monthly_fee", 10**12), ("min_months", 121), ("notice_days", 366), ("line_count", 10**8)]
)
def test_the_database_refuses_a_number_out_of_range(field, value):
    contract = f.contract(ServiceCode.ISP_PLATFORM)
    with pytest.raises(IntegrityError, match=f"contracts_contract_{field}_range"), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(**{field: value})


# --- a refusal names the field and the article ---------------------------------------------------


def test_cxm2_without_route_is_refused_on_the_route_field(staff_client):
    response = add_contract(
        staff_client, f.customer(), "cxm2.100m", application_type=ApplicationType.ACTIVE, region="tokyo"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["route"] == ["CXM2 contracts need their route (CXM2 art. 2)."]
    assert "contracts_contract_" not in response.content.decode()
    assert not Contract.objects.exists()


def test_isp_platform_without_building_type_is_refused_on_its_field(staff_client):
    response = add_contract(staff_client, f.customer(), "isp_platform.ipoe", line_count="10")
    errors = response.context["adminform"].form.errors
    assert errors["building_type"] == ["ISP Platform contracts need their building type (ISP Platform art. 5)."]


def test_a_database_refusal_while_saving_is_told_by_its_constraint(staff_client, monkeypatch):
    """Whatever full_clean misses (here: switched off), the database refuses in the constraint's words."""
    monkeypatch.setattr(Contract, "validate_constraints", lambda self, exclude=None: None)
    response = add_contract(
        staff_client, f.customer(), "cxm2.100m", application_type=ApplicationType.ACTIVE, region="tokyo"
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Nothing was saved. CXM2 contracts need their route (CXM2 art. 2)."]
    assert not Contract.objects.exists()


def test_the_add_page_knows_each_items_service_and_each_services_fields(staff_client):
    page = staff_client.get(changelist_url(Contract) + "add/")
    assert page.context["service_of_item"]["cxm2.100m"] == ServiceCode.CXM2
    assert page.context["service_fields"][ServiceCode.CXM2] == ("application_type", "route", "region", "standby_of")
    assert 'id="service-fields"' in page.content.decode()
