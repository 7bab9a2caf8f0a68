"""What every field accepts and how a refusal reads, tried in the admin: numbers within their
ranges, refusals on the field naming the article, never a server error."""

from datetime import date
from unittest.mock import ANY

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts.choices import ApplicationType, Region, Route, ServiceCode, Status
from contracts.models import Contract, ContractChange, ContractOption, Item
from contracts.services import lifecycle
from customers.models import RelatedContract
from tests import factories as f

from .conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db

NO_AREAS = {"bandwidth_areas-TOTAL_FORMS": "0", "bandwidth_areas-INITIAL_FORMS": "0"}
CXM2 = {"application_type": ApplicationType.ACTIVE, "route": Route.MICROSOFT, "region": Region.TOKYO}


def add_contract(client, customer, item: str, **fields):
    data = {"customer": customer.pk, "item": item, "applied_on": "2025-01-06", **NO_AREAS, **fields}
    return client.post(changelist_url(Contract) + "add/", data)


# --- numbers have a range, in the forms and in the database ------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"min_months": 100000}, {"notice_days": 3000000}, {"initial_fee": 9223372036854775807}],
    ids=["months", "notice-days", "yen"],
)
def test_override_terms_out_of_range_is_refused_on_the_form(staff_client, cxm2_active, fields):
    response = run_action(staff_client, Contract, "override_terms", [cxm2_active], reason="deal", **fields)
    assert response.status_code == 200
    assert not response.context["confirm"] and set(response.context["form"].errors) == set(fields)
    cxm2_active.refresh_from_db()
    assert (cxm2_active.min_months, cxm2_active.notice_days, cxm2_active.initial_fee) == (1, 30, 50000)


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
    assert page.context["service_choosers"] == [["id_service", None], ["id_item", ANY]]
    assert page.context["service_choosers"][1][1]["cxm2.100m"] == ServiceCode.CXM2
    assert page.context["service_fields"][ServiceCode.CXM2] == ("application_type", "route", "region", "standby_of")
    assert 'id="service-fields"' in page.content.decode()


# --- dates: one accepted range, typed the Japanese way, one widget ----------------------------------

OUTSIDE = "is outside the dates the product accepts (1900-01-01 to 2099-12-31)."


@pytest.mark.parametrize("field", [f.name for f in Contract._meta.fields if f.get_internal_type() == "DateField"])
@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_every_date_field_of_a_contract_refuses_the_calendars_edges(field, day):
    contract = f.contract(ServiceCode.CXM2)
    setattr(contract, field, day)
    with pytest.raises(ValidationError) as refused:
        contract.full_clean()
    assert f"{day.isoformat()} {OUTSIDE}" in refused.value.message_dict[field]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_contract_applied_on_the_calendars_edge_is_refused_on_the_field(staff_client, day):
    response = add_contract(staff_client, f.customer(), "cxm2.100m", applied_on=day, **CXM2)
    assert response.context["adminform"].form.errors["applied_on"] == [f"{day} {OUTSIDE}"]


def test_a_related_contract_formed_in_year_one_is_refused(staff_client):
    customer = f.customer()
    data = {"customer": customer.pk, "kind": "connectivity", "reference": "NET-1", "started_on": "0001-01-01"}
    response = staff_client.post(changelist_url(RelatedContract) + "add/", data)
    assert response.context["adminform"].form.errors["started_on"] == [f"0001-01-01 {OUTSIDE}"]


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("start_billing", {"on": "9999-12-31"}),
        ("register_notice", {"received_on": "9999-12-31"}),
        ("register_notice", {"received_on": "2025-03-01", "requested_on": "9999-12-31"}),
        ("terminate", {"on": "0001-01-01", "reason": "gt_art28_2"}),
    ],
)
def test_actions_refuse_a_date_at_the_calendars_edge_on_their_form(staff_client, staff, action, fields):
    contract = f.contract(ServiceCode.CXM2)
    option = f.option(contract, "cxm2.napt")
    for row in (contract, option):
        lifecycle.accept(row, on=date(2025, 1, 10), by=staff)
        if action != "start_billing":
            lifecycle.start_billing(row, on=date(2025, 1, 15), by=staff)
        response = run_action(staff_client, type(row), action, [row], **fields)
        assert response.status_code == 200 and not response.context["confirm"]
        assert any(OUTSIDE in error for errors in response.context["form"].errors.values() for error in errors)


@pytest.mark.parametrize(
    "query",
    [
        "applied_on__year=9999",
        "applied_on__year=9999&applied_on__month=12",
        "applied_on__year=9999&applied_on__month=12&applied_on__day=31",
        "applied_on__year=0",
        "applied_on__year=abc",
    ],
)
@pytest.mark.parametrize("model", [Contract, ContractOption])
def test_date_drill_down_out_of_range_is_a_bad_filter_not_a_server_error(staff_client, model, query):
    response = staff_client.get(f"{changelist_url(model)}?{query}")
    assert response.status_code == 302 and response.url.endswith("?e=1")


@pytest.mark.parametrize(("model", "field"), [(RelatedContract, "started_on"), (ContractChange, "accepted_on")])
def test_other_drill_downs_out_of_range_are_bad_filters_too(staff_client, model, field):
    response = staff_client.get(f"{changelist_url(model)}?{field}__year=9999")
    assert response.status_code == 302
    assert staff_client.get(f"{changelist_url(model)}?{field}__year=2025").status_code == 200


@pytest.mark.parametrize(
    "typed", ["2025/01/15", "2025/1/15", "２０２５/０１/１５", "２０２５／０１／１５", "2025-01-15"]
)
def test_a_contract_date_typed_the_japanese_way_is_read(staff_client, typed):
    response = add_contract(staff_client, f.customer(), "cxm2.100m", **{**CXM2, "applied_on": typed})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Contract.objects.get().applied_on == date(2025, 1, 15)


@pytest.mark.parametrize("typed", ["2025/01/10", "２０２５／０１／１０"])
def test_an_action_date_typed_the_japanese_way_is_read(staff_client, typed):
    contract = f.contract(ServiceCode.CXM2)
    response = run_action(staff_client, Contract, "accept", [contract], on=typed)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.accepted_on) == (Status.ACCEPTED, date(2025, 1, 10))


def test_one_date_widget_throughout(staff_client, cxm2_active):
    """The admin's text field with its calendar, on the edit pages and the action pages alike."""
    pages = [
        staff_client.get(changelist_url(Contract) + "add/"),
        staff_client.get(changelist_url(RelatedContract) + "add/"),
        staff_client.post(
            changelist_url(Contract),
            {"action": "register_notice", "_selected_action": [cxm2_active.pk]},
        ),
    ]
    for page in pages:
        html = page.content.decode()
        assert 'class="vDateField"' in html and 'type="date"' not in html
    assert "DateTimeShortcuts.js" in pages[-1].content.decode() and "jsi18n" in pages[-1].content.decode()


# --- kana readings: stored in katakana, found however typed -------------------------------------------


@pytest.mark.parametrize("typed", ["さんぷるしょうじ", "ｻﾝﾌﾟﾙｼｮｳｼﾞ", "サンプルショウジ"])
def test_a_reading_is_kept_in_katakana_however_typed(typed):
    customer = f.customer(name_kana=typed)
    customer.refresh_from_db()
    assert customer.name_kana == "サンプルショウジ"
    assert customer.history.latest().name_kana == "サンプルショウジ"


@pytest.mark.parametrize(
    "typed",
    [
        "あおば",
        "ｱｵﾊﾞ",
        "アオバ",
        "システムズ",
        "ｶﾌﾞｼｷｶﾞｲｼｬｱｵﾊﾞ",
        "かぶしきがいしゃ　あおば",
        "アオバシステムズ(カ",
        "ｱｵﾊﾞ ｼｽﾃﾑｽﾞ",
    ],  # fmt: skip
)
def test_customer_and_contract_search_find_the_reading_however_typed_legal_form_ignored(staff_client, typed):
    """Hiragana, half-width or full-width kana, and the legal form spelt out or abbreviated as the bank
    matching reads it: the customer and its contracts are found, the other customer is not."""
    aoba = f.customer(name="株式会社青葉システムズ", name_kana="アオバシステムズ")
    f.customer(name="株式会社若葉商事", name_kana="ワカバショウジ")
    contract = f.contract(ServiceCode.CXM2, aoba)
    customers = staff_client.get(changelist_url(type(aoba)), {"q": typed})
    assert list(customers.context["cl"].result_list) == [aoba]
    contracts = staff_client.get(changelist_url(Contract), {"q": typed})
    assert list(contracts.context["cl"].result_list) == [contract]


def test_the_searched_reading_follows_every_save_and_bulk_creation():
    from customers.models import Customer

    customer = f.customer(name_kana="かぶしきがいしゃ あおば")
    assert Customer.objects.get(pk=customer.pk).name_kana_key == "アオバ"
    customer.name_kana = "アオバシステムズ"
    customer.save()
    [made] = Customer.objects.bulk_create([Customer(code="B1", kind="corporate", name="x", name_kana="ﾜｶﾊﾞ(ｶ")])
    keys = dict(Customer.objects.values_list("pk", "name_kana_key"))
    assert (keys[customer.pk], keys[made.pk]) == ("アオバシステムズ", "ワカバ")
    assert Customer.objects.filter(name_kana_key__kana="株式会社").count() == 2  # a legal form alone narrows nothing


@pytest.mark.parametrize("typed", ["Smart HUB", "スマート", "プライベートバックボーン"])
def test_contract_search_finds_by_service_name(staff_client, typed):
    hub = f.contract(ServiceCode.SMART_HUB)
    f.contract(ServiceCode.CXM2)
    response = staff_client.get(changelist_url(Contract), {"q": typed})
    found = list(response.context["cl"].result_list)
    assert found == ([hub] if typed != "スマート" else [])


def test_readings_typed_before_are_normalised_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    from customers.models import Customer

    customer = f.customer(name_kana="タシャ")
    Customer.objects.filter(pk=customer.pk).update(name_kana="ｻﾝﾌﾟﾙ しょうじ")  # as stored before
    migration = import_module("customers.migrations.0003_inputs_constraints_dates_readings")
    migration.normalise_readings(apps, None)
    customer.refresh_from_db()
    assert customer.name_kana == "サンプル ショウジ"
    latest = customer.history.latest()
    assert (latest.name_kana, latest.history_change_reason) == ("サンプル ショウジ", "Reading normalised to katakana")


def test_readings_stored_before_get_their_search_key_from_the_migration():
    from importlib import import_module

    from django.apps import apps

    from customers.models import Customer

    customer = f.customer(name_kana="カブシキガイシャアオバシステムズ")
    Customer.objects.filter(pk=customer.pk).update(name_kana_key="")  # as stored before the key existed
    Customer.history.filter(id=customer.pk).update(name_kana_key="")
    migration = import_module("customers.migrations.0009_name_kana_searched_as_the_bank_matching_compares_names")
    migration.key_readings(apps, None)
    assert Customer.objects.get(pk=customer.pk).name_kana_key == "アオバシステムズ"
    assert customer.history.latest().name_kana_key == "アオバシステムズ"  # the history shows no change later
