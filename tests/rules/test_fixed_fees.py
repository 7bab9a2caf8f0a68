"""Amounts an annex fixes at 0円 stay 0円: the catalog, acceptance (admin and import alike) and overrides refuse
another amount, naming the annex (CXM2 別紙2 1.(2), 2.(2); Cloud Proxy 別紙1 1.(2), 2.(2); ISP Platform
別紙1 2.(1) (ii), (iii))."""

import json
from datetime import date as D
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from backoffice.exceptions import RuleRefusal
from billing.prices import agree_price
from contracts.choices import ServiceCode, Status
from contracts.models import Contract, ContractOption, Item, OptionKind
from contracts.selectors import price_schedule
from contracts.services import lifecycle
from customers.choices import RelatedKind
from tests import factories as f
from tests.admin.conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CXM2_INITIAL = "CXM2 annex 2 1.(2)"
CXM2_MONTHLY = "CXM2 annex 2 2.(2)"
CP_INITIAL = "Cloud Proxy annex 1 1.(2)"
CP_MONTHLY = "Cloud Proxy annex 1 2.(2)"

#: The issue's cases: the amounts accepted and billed until now, each against the annex that fixes 0円.
ACCEPTED_BEFORE = [
    pytest.param("cxm2.firewall", "initial_fee", 500, CXM2_INITIAL, id="cxm2-firewall-initial-500"),
    pytest.param("cxm2.firewall", "monthly_fee", 500, CXM2_MONTHLY, id="cxm2-firewall-monthly-500"),
    pytest.param("cloud_proxy.access_control", "initial_fee", 1_000, CP_INITIAL, id="access-control-initial-1000"),
    pytest.param("cloud_proxy.list_update_api", "initial_fee", 700, CP_INITIAL, id="list-update-api-initial-700"),
    pytest.param("cloud_proxy.initial_setup", "monthly_fee", 900, CP_MONTHLY, id="initial-setup-monthly-900"),
]
#: The ISP Platform items whose line maintenance or bandwidth fee the annex sets at 0円 (別紙1 2.(1) (ii), (iii)).
ISP_ITEMS = [
    pytest.param("isp_platform.ipoe", "bandwidth_fee", "ISP Platform annex 1 2.(1) (iii)", id="ipoe-bandwidth"),
    pytest.param(
        "isp_platform.ipoe_shared", "bandwidth_fee", "ISP Platform annex 1 2.(1) (iii)", id="ipoe-shared-bandwidth"
    ),
    pytest.param("isp_platform.ipoe_limited", "line_fee", "ISP Platform annex 1 2.(1) (ii)", id="ipoe-limited-line"),
]


@pytest.fixture
def staff_client(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


def applied_option(kind: str) -> ContractOption:
    """An applied option of ``kind`` whose other rules pass on 2025-01-10: a CXM2 firewall integration with its
    Managed Firewall M/CXE (art. 7 ¶3), a Cloud Proxy option on a live bypass child of a live parent (art. 6,
    art. 10)."""
    if kind.startswith("cxm2."):
        contract = f.activate(f.contract(ServiceCode.CXM2))
        f.related(contract.customer, RelatedKind.MANAGED_FIREWALL)
        return f.option(contract, kind)
    cust = f.customer()
    f.related(cust, RelatedKind.PBB)
    parent = f.contract(ServiceCode.CLOUD_PROXY, cust)
    template = f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.template.m365", parent=parent)
    bypass = f.contract(ServiceCode.CLOUD_PROXY, cust, item="cloud_proxy.bypass.p1.20k", parent=parent)
    option = f.option(bypass, kind, applied_with_parent=True)
    for row in (template, bypass, parent):
        f.activate(row)
    return option


def refusal_of(refused: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(refused.value.message_dict[field])


# --- the service ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "field", "amount", "article"), ACCEPTED_BEFORE)
def test_acceptance_refuses_another_amount_than_the_annexs_0_yen_and_takes_0(kind, field, amount, article):
    option, listed = applied_option(kind), applied_option(kind)

    with pytest.raises(RuleRefusal) as refused:
        lifecycle.accept(option, on=D(2025, 1, 10), **{field: amount})

    assert f"is 0 yen under {article}, not {amount:,} yen." in refusal_of(refused, field)
    option.refresh_from_db()
    assert (option.status, option.initial_fee, option.monthly_fee) == (Status.APPLIED, None, None)

    lifecycle.accept(option, on=D(2025, 1, 10), **{field: 0})
    lifecycle.accept(listed, on=D(2025, 1, 10))
    assert getattr(option, field) == getattr(listed, field) == 0
    assert option.status == listed.status == Status.ACCEPTED


def test_a_fee_the_annex_leaves_to_agreement_is_still_agreed_beside_the_fixed_one():
    """Cloud Proxy 別紙1 1.(2) fixes the access control option's initial fee at 0円; 2.(2) leaves its monthly fee
    to "an amount we show"."""
    option = applied_option("cloud_proxy.access_control")
    with pytest.raises(RuleRefusal) as refused:
        lifecycle.accept(option, on=D(2025, 1, 10), initial_fee=1_000, monthly_fee=4_000)
    assert list(refused.value.message_dict) == ["initial_fee"]

    lifecycle.accept(option, on=D(2025, 1, 10), monthly_fee=4_000)
    assert (option.initial_fee, option.monthly_fee) == (0, 4_000)


def test_acceptance_refuses_a_catalog_row_that_lists_another_amount():
    """A catalog edited around its checks does not slip into the frozen terms."""
    OptionKind.objects.filter(pk="cxm2.firewall").update(monthly_fee=500)
    option = applied_option("cxm2.firewall")
    with pytest.raises(RuleRefusal) as refused:
        lifecycle.accept(option, on=D(2025, 1, 10))
    assert CXM2_MONTHLY in refusal_of(refused, "monthly_fee")


def set_price(row, field: str, amount: int, *, by=None, reason="agreed"):
    """The initial fee by an override of the frozen terms (it arises once); a price from a day on by an agreement
    from the row's acceptance."""
    if field == "initial_fee":
        lifecycle.override_terms(row, by=by, reason=reason, initial_fee=amount)
    else:
        agree_price(row, valid_from=row.accepted_on, by=by, reason=reason, **{field: amount})


def in_force(row, field: str) -> int:
    return getattr(row, field) if field == "initial_fee" else getattr(price_schedule(row).on(row.accepted_on), field)


@pytest.mark.parametrize(("kind", "field", "amount", "article"), ACCEPTED_BEFORE)
def test_an_override_or_a_price_agreement_refuses_another_amount_and_puts_0_back(kind, field, amount, article):
    option = applied_option(kind)
    lifecycle.accept(option, on=D(2025, 1, 10))
    history = option.history.count()

    with pytest.raises(RuleRefusal) as refused:
        set_price(option, field, amount)

    assert article in refusal_of(refused, field)
    option.refresh_from_db()
    assert (in_force(option, field), option.history.count()) == (0, history)

    # A row frozen at another amount before this rule is put right by setting the annex's 0円.
    ContractOption.objects.filter(pk=option.pk).update(**{field: amount})
    option.refresh_from_db()
    set_price(option, field, 0, reason=article)
    option.refresh_from_db()
    assert in_force(option, field) == 0


@pytest.mark.parametrize(("item", "field", "article"), ISP_ITEMS)
def test_isp_platform_line_and_bandwidth_fees_the_annex_sets_at_0_yen_stay_0(staff, item, field, article):
    extra = {
        "isp_platform.ipoe_shared": {"bandwidth_consent_on": D(2025, 1, 5), "end_user_consent_on": D(2025, 1, 5)},
        "isp_platform.ipoe_limited": {"building_type": "apartment", "line_count": None},
    }.get(item, {})
    contract = f.contract(ServiceCode.ISP_PLATFORM, item=item, **extra)
    if item == "isp_platform.ipoe_limited":
        contract.bandwidth_areas.create(area="east", mbps=100)
    lifecycle.accept(contract, on=D(2025, 1, 10), by=staff)
    assert getattr(contract, field) == 0

    with pytest.raises(RuleRefusal) as refused:
        set_price(contract, field, 5_000, by=staff)

    assert f"the {'bandwidth' if field == 'bandwidth_fee' else 'line maintenance'} fee is 0 yen under {article}" in (
        refusal_of(refused, field)
    )


# --- the catalog ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "field", "amount", "article"), ACCEPTED_BEFORE)
def test_the_catalog_lists_the_annexs_0_yen_and_refuses_another_amount(kind, field, amount, article):
    entry = OptionKind.objects.get(pk=kind)
    assert getattr(entry, field) == 0
    entry.full_clean()

    setattr(entry, field, amount)
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert article in refusal_of(refused, field)


@pytest.mark.parametrize(("item", "field", "article"), ISP_ITEMS)
def test_the_catalog_items_list_the_annexs_0_yen_and_refuse_another_amount(item, field, article):
    entry = Item.objects.get(pk=item)
    assert getattr(entry, field) == 0
    setattr(entry, field, 100)
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert article in refusal_of(refused, field)


def test_the_catalog_admin_refuses_a_price_for_the_firewall_integration(staff_client):
    entry = OptionKind.objects.get(pk="cxm2.firewall")
    data = change_form_data(staff_client.get(change_url(entry)))
    history = entry.history.count()

    response = staff_client.post(change_url(entry), {**data, "monthly_fee": "500"})

    assert response.status_code == 200
    assert "Firewall integration: the monthly fee is 0 yen under CXM2 annex 2 2.(2), not 500 yen." in (
        response.content.decode()
    )
    entry.refresh_from_db()
    assert (entry.monthly_fee, entry.history.count()) == (0, history)

    response = staff_client.post(change_url(entry), {**data, "name_en": "Firewall integration option"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.name_en, entry.monthly_fee) == ("Firewall integration option", 0)


# --- the admin's accept action --------------------------------------------------------------------


def test_the_accept_action_refuses_500_yen_for_the_firewall_integration_naming_the_annex(staff_client):
    option = applied_option("cxm2.firewall")

    page = run_action(staff_client, ContractOption, "accept", [option], on=D(2025, 1, 10), monthly_fee=500)

    # The rehearsal shows the refusal on the form page: nothing is confirmed.
    assert page.status_code == 200 and not page.context["confirm"]
    assert "the monthly fee is 0 yen under CXM2 annex 2 2.(2), not 500 yen." in page.content.decode()
    # Posted straight to "yes", the row is refused on the list with the same words.
    data = {"action": "accept", "_selected_action": [option.pk], "on": "2025-01-10", "monthly_fee": "500"}
    done = staff_client.post(changelist_url(ContractOption), {**data, "_step": "confirm"})
    assert done.status_code == 302
    assert any("refused" in m and CXM2_MONTHLY in m for m in messages_of(done))
    option.refresh_from_db()
    assert (option.status, option.monthly_fee) == (Status.APPLIED, None)

    done = run_action(staff_client, ContractOption, "accept", [option], on=D(2025, 1, 10), monthly_fee=0)
    assert done.status_code == 302
    option.refresh_from_db()
    assert (option.status, option.initial_fee, option.monthly_fee) == (Status.ACCEPTED, 0, 0)


def test_the_price_agreement_action_refuses_a_price_for_the_initial_setup(staff_client):
    option = applied_option("cloud_proxy.initial_setup")
    lifecycle.accept(option, on=D(2025, 1, 10))

    fields = {"valid_from": D(2025, 1, 10), "monthly_fee": 900, "reason": "agreed"}
    page = run_action(staff_client, ContractOption, "agree_price", [option], **fields)

    assert page.status_code == 200 and not page.context["confirm"]
    assert "the monthly fee is 0 yen under Cloud Proxy annex 1 2.(2), not 900 yen." in page.content.decode()


# --- the import -----------------------------------------------------------------------------------

ACCEPTED = {"applied_on": "2025-01-06", "accepted_on": "2025-01-10", "billing_start_on": "2025-02-01"}


def import_firewall(tmp_path, **fees) -> tuple[str, CommandError | None]:
    """A CXM2 contract with its Managed Firewall M/CXE and a firewall integration row carrying ``fees``."""
    doc = {
        "customers": [{"code": "K1", "kind": "corporate", "name": "株式会社テスト"}],
        "related_contracts": [
            {
                "reference": "FW-1",
                "customer": "K1",
                "kind": "managed_firewall",
                "started_on": "2020-01-01",
                "firewall_item": "M/CXE",
            }
        ],
        "contracts": [
            {
                "number": "CX-1",
                "customer": "K1",
                "item": "cxm2.100m",
                "application_type": "active",
                "route": "office365",
                "region": "tokyo",
                **ACCEPTED,
            }
        ],
        "options": [{"contract": "CX-1", "kind": "cxm2.firewall", **ACCEPTED, **fees}],
    }
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    try:
        call_command("import_contracts", str(path), stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_an_import_row_with_a_price_for_the_firewall_integration_is_refused_naming_the_annex(tmp_path):
    out, error = import_firewall(tmp_path, initial_fee="500")

    assert error is not None
    row = next(line for line in out.splitlines() if line.startswith("4\t"))
    assert row == (
        "4\toption\tCX-1/cxm2.firewall\trefused: acceptance Jan. 10, 2025: initial_fee: Firewall integration: "
        "the initial fee is 0 yen under CXM2 annex 2 1.(2), not 500 yen."
    )
    assert not Contract.objects.exists()

    out, error = import_firewall(tmp_path, initial_fee="0", monthly_fee="0")

    assert error is None, out
    option = ContractOption.objects.get()
    assert (option.status, option.initial_fee, option.monthly_fee) == (Status.ACTIVE, 0, 0)
