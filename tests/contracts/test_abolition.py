"""Abolition of a service, an item or an option kind (CXM2 art. 9, Cloud Proxy art. 11, ISP Platform art. 8)."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.choices import SETTLEMENT_WAIVED, ApplicationType, ServiceCode, Status, TerminationReason
from contracts.models import Abolition, Contract, ContractOption, Item, OptionKind, Service
from contracts.services import lifecycle
from contracts.services.abolition import abolish, affected, notified_customers
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


D = date
ON = D(2025, 6, 30)


ACCEPTED_ON, BILLING_ON = D(2025, 1, 10), D(2025, 1, 15)


def live(obj, accepted_on=ACCEPTED_ON, billing_on=BILLING_ON):
    """Put a row in service directly, without the service rules: these tests are about abolition only."""
    obj.status, obj.accepted_on, obj.billing_start_on = Status.ACTIVE, accepted_on, billing_on
    obj.min_period_start_on = billing_on
    lifecycle._freeze_terms(obj)
    obj.save()
    return obj


def abolition(service, *, item=None, option_kind=None, on=ON):
    return Abolition.objects.create(
        service_id=service,
        item_id=item,
        option_kind_id=option_kind,
        effective_on=on,
        reason="transix ends (ISP Platform art. 8)",
    )


@pytest.fixture
def isp_world():
    """Two ISP Platform customers (one with IPoE and router rental, one with IPoE shared) and a CXM2 bystander."""
    acme = f.customer(name="Acme", failure_contact_email="noc@acme.example", billing_contact_email="=cmd|calc")
    beta = f.customer(name="Beta")
    ipoe = live(f.contract(ServiceCode.ISP_PLATFORM, acme))
    rental = live(f.option(ipoe, "isp_platform.router_rental"))
    shared = live(f.contract(ServiceCode.ISP_PLATFORM, beta, item="isp_platform.ipoe_shared"))
    applied = f.contract(ServiceCode.ISP_PLATFORM, beta)
    bystander = live(f.contract(ServiceCode.CXM2, acme))
    return {
        "acme": acme,
        "beta": beta,
        "ipoe": ipoe,
        "rental": rental,
        "shared": shared,
        "applied": applied,
        "cxm2": bystander,
    }


@pytest.mark.parametrize(
    ("target", "contracts", "options"),
    [
        ({}, {"ipoe", "shared"}, set()),
        ({"item": "isp_platform.ipoe_shared"}, {"shared"}, set()),
        ({"option_kind": "isp_platform.router_rental"}, set(), {"rental"}),
    ],
    ids=["whole-service", "one-item", "one-option-kind"],
)
def test_affected_lists_only_live_rows_hit(isp_world, target, contracts, options):
    hit = affected(abolition(ServiceCode.ISP_PLATFORM, **target))
    assert set(hit.contracts) == {isp_world[k] for k in contracts}
    assert set(hit.options) == {isp_world[k] for k in options}


def test_abolishing_the_service_ends_contracts_and_options_waives_settlement_and_lists_customers(staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM)

    customers = abolish(ab, by=staff)

    assert [c.name for c in customers] == ["Acme", "Beta"]
    for key in ("ipoe", "rental", "shared"):
        row = isp_world[key]
        row.refresh_from_db()
        assert (row.status, row.terminated_on, row.abolition) == (Status.TERMINATED, ON, ab)
        assert row.termination_reason == TerminationReason.ABOLITION in SETTLEMENT_WAIVED
    for key in ("applied", "cxm2"):
        row = isp_world[key]
        row.refresh_from_db()
        assert row.abolition is None and row.status != Status.TERMINATED
    ab.refresh_from_db()
    assert ab.executed_at is not None
    assert Service.objects.get(pk=ServiceCode.ISP_PLATFORM).abolished_on == ON
    assert list(notified_customers(ab)) == customers
    assert isp_world["ipoe"].history.first().history_user == staff


def test_abolishing_an_item_closes_it_to_new_applications(staff, isp_world):
    abolish(abolition(ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_shared"), by=staff)

    assert Item.objects.get(pk="isp_platform.ipoe_shared").abolished_on == ON
    isp_world["ipoe"].refresh_from_db()
    assert isp_world["ipoe"].status == Status.ACTIVE
    new = Contract(
        customer=isp_world["beta"],
        service_id=ServiceCode.ISP_PLATFORM,
        item_id="isp_platform.ipoe_shared",
        applied_on=D(2025, 7, 1),
        building_type="detached",
        line_count=5,
        bandwidth_consent_on=D(2025, 7, 1),
        end_user_consent_on=D(2025, 7, 1),
    )
    with pytest.raises(ValidationError) as exc:
        new.full_clean()
    assert list(exc.value.message_dict) == ["item"] and "abolished" in exc.value.message_dict["item"][0]


def test_abolishing_an_option_kind_ends_only_those_options(staff, isp_world):
    customers = abolish(abolition(ServiceCode.ISP_PLATFORM, option_kind="isp_platform.router_rental"), by=staff)

    assert customers == [isp_world["acme"]]
    isp_world["rental"].refresh_from_db()
    isp_world["ipoe"].refresh_from_db()
    assert isp_world["rental"].termination_reason == TerminationReason.ABOLITION
    assert isp_world["ipoe"].status == Status.ACTIVE
    assert OptionKind.objects.get(pk="isp_platform.router_rental").abolished_on == ON


def test_running_twice_is_refused_and_changes_nothing(staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM)
    abolish(ab, by=staff)
    ab.refresh_from_db()
    executed_at, history = ab.executed_at, Contract.history.count() + ContractOption.history.count()

    with pytest.raises(ValidationError, match="already executed"):
        abolish(ab, by=staff)

    ab.refresh_from_db()
    assert ab.executed_at == executed_at
    assert Contract.history.count() + ContractOption.history.count() == history


def test_a_failure_rolls_everything_back(staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM, on=D(2025, 1, 5))  # before the contracts were accepted

    with pytest.raises(ValidationError):
        abolish(ab, by=staff)

    ab.refresh_from_db()
    isp_world["ipoe"].refresh_from_db()
    assert ab.executed_at is None and isp_world["ipoe"].status == Status.ACTIVE
    assert Service.objects.get(pk=ServiceCode.ISP_PLATFORM).abolished_on is None


def test_cloud_proxy_children_and_their_options_end_with_the_parent(staff):
    cust = f.customer()
    parent = live(f.contract(ServiceCode.CLOUD_PROXY, cust))
    template = live(f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.template.m365", parent=parent))
    bypass = live(f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.bypass.p1.20k", parent=parent))
    pac = live(f.option(bypass, "cloud_proxy.pac"))
    ab = abolition(ServiceCode.CLOUD_PROXY)

    assert abolish(ab, by=staff) == [cust]

    for row in (parent, template, bypass, pac):
        row.refresh_from_db()
        assert (row.status, row.termination_reason, row.abolition) == (Status.TERMINATED, "abolition", ab)


def test_abolishing_one_template_item_keeps_the_parent(staff):
    cust = f.customer()
    parent = live(f.contract(ServiceCode.CLOUD_PROXY, cust))
    google = live(
        f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.template.google_workspace", parent=parent)
    )
    m365 = live(f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.template.m365", parent=parent))

    abolish(abolition(ServiceCode.CLOUD_PROXY, item="cloud_proxy.template.google_workspace"), by=staff)

    for row, status in ((parent, Status.ACTIVE), (google, Status.TERMINATED), (m365, Status.ACTIVE)):
        row.refresh_from_db()
        assert row.status == status


def test_cxm2_standby_ends_for_the_abolition_too(staff):
    cust = f.customer()
    active = live(f.contract(ServiceCode.CXM2, cust))
    standby = live(f.contract(ServiceCode.CXM2, cust, application_type=ApplicationType.STANDBY, standby_of=active))

    abolish(abolition(ServiceCode.CXM2), by=staff)

    for row in (active, standby):
        row.refresh_from_db()
        assert row.termination_reason == TerminationReason.ABOLITION


# --- admin ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, ab):
    return reverse(f"admin:contracts_abolition_{name}", args=[ab.pk])


def test_admin_confirmation_page_lists_contracts_and_customers_without_executing(client, staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM)
    client.force_login(staff)
    assert _url("execute", ab) in client.get(_url("change", ab)).content.decode()

    page = client.get(_url("execute", ab))

    assert page.status_code == 200
    html = page.content.decode()
    for key in ("ipoe", "shared"):
        assert isp_world[key].number in html
    assert isp_world["cxm2"].number not in html
    assert "Acme" in html and "Beta" in html
    assert "2 customers to notify" in html
    ab.refresh_from_db()
    assert ab.executed_at is None


def test_admin_executes_on_confirm_and_shows_the_notified_customers(client, staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM)
    client.force_login(staff)

    response = client.post(_url("execute", ab), {"confirm": "yes"}, follow=True)

    assert response.redirect_chain[-1][0] == _url("change", ab)
    assert "2 customer(s) to notify" in response.content.decode()
    ab.refresh_from_db()
    assert ab.executed_at is not None
    html = response.content.decode()
    assert 'id="notified-customers"' in html and "noc@acme.example" in html
    assert _url("execute", ab) not in html

    again = client.post(_url("execute", ab), {"confirm": "yes"}, follow=True)
    assert again.status_code == 200 and "already been executed" in again.content.decode()


def test_admin_reports_a_refusal_as_a_message(client, staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM, on=D(2025, 1, 5))
    client.force_login(staff)

    response = client.post(_url("execute", ab), {"confirm": "yes"}, follow=True)

    assert response.status_code == 200
    assert "cannot end before it was accepted" in response.content.decode()
    ab.refresh_from_db()
    assert ab.executed_at is None


def test_admin_csv_of_notified_customers(client, staff, isp_world):
    ab = abolition(ServiceCode.ISP_PLATFORM)
    abolish(ab, by=staff)
    client.force_login(staff)

    response = client.get(_url("customers_csv", ab))

    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv") and text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 3  # header + Acme + Beta
    assert "noc@acme.example" in lines[1] and "'=cmd|calc" in lines[1]


def test_admin_list_filters_and_search(client, staff):
    executed = abolition(ServiceCode.ISP_PLATFORM)
    abolish(executed, by=staff)
    pending = abolition(ServiceCode.CXM2, item="cxm2.100m")
    client.force_login(staff)
    changelist = reverse("admin:contracts_abolition_changelist")

    assert client.get(changelist, {"executed": "no"}).context["cl"].result_list[0] == pending
    assert list(client.get(changelist, {"executed": "yes"}).context["cl"].result_list) == [executed]
    assert list(client.get(changelist, {"q": "100 Mbps"}).context["cl"].result_list) == [pending]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"item": "cxm2.100m"}, "must be an item of the abolished service"),
        ({"option_kind": "cxm2.napt"}, "must be an option of the abolished service"),
        ({"item": "isp_platform.ipoe", "option_kind": "isp_platform.dslite"}, "not both"),
    ],
    ids=["item-of-another-service", "option-of-another-service", "item-and-option"],
)
def test_admin_form_refuses_a_target_outside_the_service(client, staff, target, message):
    client.force_login(staff)
    data = {"service": ServiceCode.ISP_PLATFORM, "effective_on": "2025-06-30", "reason": "x", **target}
    response = client.post(reverse("admin:contracts_abolition_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Abolition.objects.exists()


def test_admin_executed_abolition_is_read_only(client, staff):
    ab = abolition(ServiceCode.ISP_PLATFORM)
    abolish(ab, by=staff)
    client.force_login(staff)
    response = client.get(_url("change", ab))
    assert response.status_code == 200
    assert 'name="effective_on"' not in response.content.decode()


def test_pending_application_of_an_abolished_item_cannot_be_accepted(staff, isp_world):
    abolish(abolition(ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe"), by=staff)
    with pytest.raises(ValidationError, match=r"\(ISP Platform art\. 8\)"):
        lifecycle.accept(isp_world["applied"], on=D(2025, 7, 1), by=staff)
    isp_world["applied"].refresh_from_db()
    assert isp_world["applied"].status == Status.APPLIED


def test_standby_of_an_abolished_active_item_ends_with_the_waived_reason(staff):
    cust = f.customer()
    active = live(f.contract(ServiceCode.CXM2, cust, item="cxm2.1g"))
    standby = live(f.contract(ServiceCode.CXM2, cust, application_type=ApplicationType.STANDBY, standby_of=active))

    abolish(abolition(ServiceCode.CXM2, item="cxm2.1g"), by=staff)

    standby.refresh_from_db()
    assert (standby.status, standby.termination_reason) == (Status.TERMINATED, TerminationReason.ABOLITION)
