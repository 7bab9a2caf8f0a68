"""Contract and option forms: new rows are checked by the rules; edits of live rows are changes of contract."""

from datetime import date

import pytest
from django.urls import reverse

from contracts.choices import Region, Route, ServiceCode, Status
from contracts.models import ChangeKind, Contract, ContractChange, ContractOption
from customers.models import RelatedContract
from tests import factories as f

from .conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db

D = date


def _edit(client, obj, **changes):
    data = change_form_data(client.get(change_url(obj)))
    data.update(changes)
    return client.post(change_url(obj), data)


def test_lifecycle_fields_and_frozen_terms_are_read_only(staff_client, cxm2_active):
    form = staff_client.get(change_url(cxm2_active)).context["adminform"].form
    for name in ("status", "effective_end_on", "min_period_end_on", "monthly_fee", "min_months", "accepted_on"):
        assert name not in form.fields
    assert "customer" not in form.fields and form.fields["service"].disabled
    assert "change_accepted_on" in form.fields


def test_posting_a_status_changes_nothing(staff_client):
    c = f.contract(ServiceCode.CXM2)
    response = _edit(staff_client, c, status=Status.ACTIVE, note="called the customer")
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.note) == (Status.APPLIED, "called the customer")
    assert not ContractChange.objects.exists()  # an application is not a live contract: no change fee


def test_editing_a_live_contract_records_the_change_with_the_catalog_fee(staff_client, staff, cxm2_active):
    response = _edit(staff_client, cxm2_active, route=Route.OFFICE365, change_accepted_on="2025-04-01", note="asked")

    assert response.status_code == 302
    cxm2_active.refresh_from_db()
    assert (cxm2_active.route, cxm2_active.note) == (Route.OFFICE365, "asked")
    change = ContractChange.objects.get(contract=cxm2_active)
    assert (change.kind, change.accepted_on) == (ChangeKind.ROUTE, D(2025, 4, 1))
    assert (change.old_value, change.new_value) == ("Microsoft network", "Office 365 only")
    assert change.fee == cxm2_active.item.change_fee == 10_000
    assert cxm2_active.history.latest().history_user == staff
    assert any("one-time fee 10,000 yen." in m for m in messages_of(staff_client.get(changelist_url(Contract))))


def test_a_refused_edit_shows_the_article_and_saves_nothing(staff_client, cxm2_active):
    response = _edit(staff_client, cxm2_active, region=Region.OSAKA, note="moved")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "CXM2 art. 3" in " ".join(errors["region"])
    assert "CXM2 art. 3" in response.content.decode()
    cxm2_active.refresh_from_db()
    assert (cxm2_active.region, cxm2_active.note) == (Region.TOKYO, "")
    assert not ContractChange.objects.exists()


def test_a_new_contract_is_checked_by_the_rules(staff_client):
    customer = f.customer()
    data = {
        "customer": customer.pk,
        "item": "cxm2.100m",
        "applied_on": "2025-01-06",
        "application_type": "standby",
        "route": Route.MICROSOFT,
        "region": Region.TOKYO,
        "bandwidth_areas-TOTAL_FORMS": "0",
        "bandwidth_areas-INITIAL_FORMS": "0",
    }
    add_url = changelist_url(Contract) + "add/"
    refused = staff_client.post(add_url, data)
    assert refused.status_code == 200
    assert "CXM2 art. 5" in refused.content.decode()
    assert not Contract.objects.exists()

    data["application_type"] = "active"
    created = staff_client.post(add_url, data)
    assert created.status_code == 302
    contract = Contract.objects.get()
    assert (contract.service_id, contract.status, contract.number) == ("cxm2", Status.APPLIED, f"{customer.code}-01")


def test_editing_a_live_option_records_the_change(staff_client, staff):
    isp = f.activate(f.contract(ServiceCode.ISP_PLATFORM), by=staff)
    rental = f.activate(f.option(isp, "isp_platform.router_rental", units=2), by=staff)
    response = _edit(staff_client, rental, units="3")
    assert response.status_code == 302
    change = ContractChange.objects.get(option=rental)
    assert (change.old_value, change.new_value, change.fee) == ("2", "3", 0)  # a count, no item: no fee


def test_customer_page_lists_contracts_with_links_and_contract_page_lists_options(staff_client, staff, cxm2_active):
    napt = f.option(cxm2_active, "cxm2.napt")
    customer_page = staff_client.get(change_url(cxm2_active.customer)).content.decode()
    assert f'href="{change_url(cxm2_active)}"' in customer_page
    assert "timeline/" in customer_page

    contract_page = staff_client.get(change_url(cxm2_active)).content.decode()
    assert change_url(napt) in contract_page
    assert f'href="{change_url(cxm2_active.customer)}"' in contract_page
    option_page = staff_client.get(change_url(napt)).content.decode()
    assert f'href="{change_url(cxm2_active)}"' in option_page

    contract_list = staff_client.get(changelist_url(Contract)).content.decode()
    assert f'href="{change_url(cxm2_active.customer)}"' in contract_list
    option_list = staff_client.get(changelist_url(ContractOption)).content.decode()
    assert f'href="{change_url(cxm2_active)}"' in option_list


def test_ending_a_related_contract_goes_through_the_action(staff_client):
    pbb = f.related(f.customer(), "pbb")
    form = staff_client.get(change_url(pbb)).context["adminform"].form
    assert "ended_on" not in form.fields

    response = run_action(staff_client, RelatedContract, "end_related_contract", [pbb], on=D(2025, 5, 31))
    pbb.refresh_from_db()
    assert pbb.ended_on == D(2025, 5, 31)
    assert any("no contract ended with it" in m for m in messages_of(response))

    again = run_action(staff_client, RelatedContract, "end_related_contract", [pbb], on=D(2025, 6, 30))
    assert any("already ended" in m for m in messages_of(again))
    pbb.refresh_from_db()
    assert pbb.ended_on == D(2025, 5, 31)


def test_ending_the_last_private_backbone_reports_the_smart_hub_ended_with_it(staff_client):
    customer = f.customer()
    pbb = f.related(customer, "pbb")
    frozen = dict.fromkeys(Contract.FROZEN_TERMS, 0) | {"notice_days": 30, "prorated": True}
    hub = f.contract(
        ServiceCode.SMART_HUB,
        customer,
        related_contract=pbb,
        closed_network=pbb.closed_network,
        status=Status.ACCEPTED,
        accepted_on=D(2025, 1, 10),
        **frozen,
    )

    response = run_action(staff_client, RelatedContract, "end_related_contract", [pbb], on=D(2025, 5, 31))

    hub.refresh_from_db()
    assert (hub.status, hub.terminated_on, hub.termination_reason) == (Status.TERMINATED, D(2025, 5, 31), "cascade")
    assert any(f"ended with it: {hub.number}" in m for m in messages_of(response))


def test_end_related_contract_page_warns_of_the_consequences(staff_client):
    pbb = f.related(f.customer(), "pbb")
    page = staff_client.post(
        changelist_url(RelatedContract), {"action": "end_related_contract", "_selected_action": [pbb.pk]}
    )
    assert "Smart HUB art. 6" in " ".join(page.context["warnings"])


def test_a_refusal_while_saving_rolls_back_and_is_shown(staff_client, cxm2_active, monkeypatch):
    from backoffice.exceptions import InvalidTransition
    from contracts.admin import contracts as contract_admin

    def refuse(obj, **kwargs):
        raise InvalidTransition("Changed meanwhile by someone else.")

    monkeypatch.setattr(contract_admin, "accept_change", refuse)
    response = _edit(staff_client, cxm2_active, route=Route.OFFICE365, note="lost")

    assert response.status_code == 302 and response.url == change_url(cxm2_active)
    assert any("Nothing was saved. Changed meanwhile" in m for m in messages_of(response))
    cxm2_active.refresh_from_db()
    assert (cxm2_active.route, cxm2_active.note) == (Route.MICROSOFT, "")


def test_contracts_cannot_be_deleted_from_the_admin(staff_client, cxm2_active):
    response = staff_client.get(reverse("admin:contracts_contract_delete", args=[cxm2_active.pk]))
    assert response.status_code == 403
    assert type(cxm2_active).objects.filter(pk=cxm2_active.pk).exists()


def test_removing_the_last_area_of_a_live_bandwidth_limited_contract_is_refused(staff_client):
    from contracts.models import BandwidthArea

    contract = f.contract(
        ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", line_count=None, building_type="apartment"
    )
    area = BandwidthArea.objects.create(contract=contract, area="east", mbps=300)
    f.activate(contract, accepted_on=date(2025, 1, 10))
    data = change_form_data(staff_client.get(change_url(contract)))
    prefix = next(k.removesuffix("-TOTAL_FORMS") for k in data if k.endswith("-TOTAL_FORMS") and "area" in k)
    data[f"{prefix}-0-DELETE"] = "on"

    response = staff_client.post(change_url(contract), data)

    assert response.status_code == 200
    assert "(ISP Platform art. 1)" in response.content.decode()
    assert BandwidthArea.objects.filter(pk=area.pk).exists()


def _limited_live(areas=(("east", 300),)):
    from contracts.models import BandwidthArea

    contract = f.contract(
        ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", line_count=None, building_type="apartment"
    )
    for area, mbps in areas:
        BandwidthArea.objects.create(contract=contract, area=area, mbps=mbps)
    f.activate(contract, accepted_on=date(2025, 1, 10))
    return contract


def _area_data(client, contract, *, mbps: str, on: str):
    """The contract's page posted with its first area's limit ``mbps``, as a change accepted ``on``."""
    data = change_form_data(client.get(change_url(contract)))
    prefix = next(k.removesuffix("-TOTAL_FORMS") for k in data if k.endswith("-TOTAL_FORMS") and "area" in k)
    data.update({f"{prefix}-0-mbps": mbps, "change_accepted_on": on})
    return data


def test_an_area_edit_of_a_live_contract_is_a_change_accepted_on_the_given_day(staff_client):
    contract = _limited_live()
    data = _area_data(staff_client, contract, mbps="500", on="2025/03/10")
    response = staff_client.post(change_url(contract), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    change = ContractChange.objects.get(contract=contract)
    assert (change.kind, change.accepted_on, change.old_quantity, change.new_quantity) == (
        ChangeKind.BANDWIDTH,
        date(2025, 3, 10),
        300,
        500,
    )
    assert contract.bandwidth_areas.get().mbps == 500


def test_an_area_edit_that_would_rewrite_a_later_change_is_refused(staff_client):
    from contracts.services.areas import change_areas

    contract = _limited_live()
    change_areas(contract, limits={"east": 400}, on=date(2025, 4, 1))
    data = _area_data(staff_client, contract, mbps="600", on="2025-03-10")
    response = staff_client.post(change_url(contract), data)
    assert response.status_code == 200
    assert "already changed on April 1, 2025" in response.content.decode()
    assert contract.bandwidth_areas.get().mbps == 400
    assert ContractChange.objects.filter(contract=contract).count() == 1


def test_the_area_page_has_no_date_so_it_edits_only_areas_of_contracts_not_yet_accepted(staff_client):
    from contracts.models import BandwidthArea

    live = _limited_live()
    area = live.bandwidth_areas.get()
    url = reverse("admin:contracts_bandwidtharea_change", args=[area.pk])
    response = staff_client.post(url, {"contract": live.pk, "area": "east", "mbps": "900"})
    assert response.status_code == 403 or "900" not in str(BandwidthArea.objects.get(pk=area.pk).mbps)
    assert BandwidthArea.objects.get(pk=area.pk).mbps == 300
    response = staff_client.post(
        reverse("admin:contracts_bandwidtharea_add"), {"contract": live.pk, "area": "west", "mbps": "200"}
    )
    assert response.status_code == 200
    assert "on the contract&#x27;s page" in response.content.decode()
    applied = f.contract(
        ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", line_count=None, building_type="apartment"
    )
    response = staff_client.post(
        reverse("admin:contracts_bandwidtharea_add"), {"contract": applied.pk, "area": "west", "mbps": "200"}
    )
    assert response.status_code == 302
    assert applied.bandwidth_areas.get().mbps == 200
