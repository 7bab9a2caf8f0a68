"""Export of admin lists: the filtered, searched list as shown, typed cells, formula-safe, per permission."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.admin import HistoryAdmin
from backoffice.roles import ROLE_NAMES
from contracts.choices import ServiceCode
from contracts.models import Contract, ContractOption
from customers.models import Customer
from tests import factories as f
from tests.admin.test_smoke import MAKERS

pytestmark = pytest.mark.django_db

EXPORTED = sorted(
    (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, HistoryAdmin)),
    key=lambda model: model._meta.label,
)


def export_url(model, fmt: str, query: str = "") -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export", args=[fmt])
    return f"{url}?{query}" if query else url


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "\r\n" in body
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@pytest.fixture
def staff_client(admin_client):
    """pytest-django's superuser, reading in English (the language of the source strings)."""
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


@pytest.fixture
def contracts(staff):
    """Three CXM2 contracts of a hostile customer name (two billed) and one Smart HUB contract."""
    hostile = f.customer(name='=HYPERLINK("http://evil","x")')
    billed = [f.activate(f.contract(ServiceCode.CXM2, hostile), by=staff) for _ in range(2)]
    applied = f.contract(ServiceCode.CXM2, hostile)
    hub = f.contract(ServiceCode.SMART_HUB)
    return billed, applied, hub


def test_the_list_links_to_its_exports_with_its_own_query(staff_client, contracts):
    response = staff_client.get(reverse("admin:contracts_contract_changelist") + "?status__exact=active&q=HYPER")
    html = response.content.decode()
    assert "Export CSV" in html and "Export Excel" in html
    assert export_url(Contract, "xlsx", "status__exact=active&amp;q=HYPER") in html


def test_a_filtered_and_searched_list_exports_exactly_its_rows(staff_client, contracts):
    billed, _applied, _hub = contracts
    response = staff_client.get(export_url(Contract, "csv", "status__exact=active&q=HYPERLINK&o=1"))
    rows = read_csv(response)
    assert rows[0][:3] == ["Contract number", "Customer", "Service"]
    assert sorted(row[0] for row in rows[1:]) == sorted(c.number for c in billed)


def test_csv_cells_are_values_not_markup(staff_client, contracts):
    billed, _applied, _hub = contracts
    rows = read_csv(staff_client.get(export_url(Contract, "csv", "status__exact=active")))
    header, first = rows[0], rows[1]
    row = dict(zip(header, first, strict=True))
    assert row["Customer"].endswith('=HYPERLINK("http://evil","x")')  # the customer link as text
    assert "<a " not in ",".join(first)
    assert row["Status"] == "In service"
    assert row["Billing start"] == "2025-01-15"
    assert row["Monthly fee (yen)"] == str(billed[0].monthly_fee)
    assert row["Accepted on"] == "2025-01-10"  # an export_extra column


def test_excel_cells_are_typed(staff_client, contracts):
    billed, _applied, _hub = contracts
    sheet = read_xlsx(staff_client.get(export_url(Contract, "xlsx", "status__exact=active")))
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c for c in sheet[2]], strict=True))
    assert row["Billing start"].is_date and row["Billing start"].value.date() == date(2025, 1, 15)
    assert row["Monthly fee (yen)"].value == billed[0].monthly_fee
    assert row["Monthly fee (yen)"].number_format == "#,##0"
    assert row["Live options"].value == 0
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 3


def test_customer_export_has_the_added_column_and_local_times(staff_client, contracts):
    sheet = read_xlsx(staff_client.get(export_url(Customer, "xlsx", "q=HYPERLINK")))
    header = [c.value for c in sheet[1]]
    assert "Live contracts" in header  # a column contracts adds to the customer list
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Live contracts"] == 2
    assert row["Name"] == '=HYPERLINK("http://evil","x")'  # a string cell, as typed: never a formula
    assert sheet.cell(2, header.index("Name") + 1).data_type == "s"
    assert isinstance(row["Created at"], datetime)


def test_formula_text_is_neutralised_in_csv(staff_client, contracts):
    rows = read_csv(staff_client.get(export_url(Customer, "csv", "q=HYPERLINK")))
    assert rows[1][1] == '\'=HYPERLINK("http://evil","x")'


def test_headers_are_japanese_by_default(admin_client, contracts):
    rows = read_csv(admin_client.get(export_url(Contract, "csv")))
    assert rows[0][0] == "契約番号"
    assert "課金開始日" in rows[0]


def test_an_unknown_format_is_not_found_and_a_bad_filter_goes_back_to_the_list(staff_client):
    assert staff_client.get(export_url(Contract, "pdf")).status_code == 404
    response = staff_client.get(export_url(Contract, "csv", "no_such_field=1"))
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_a_role_exports_only_what_it_may_view(role, login_as_role, contracts):
    client = login_as_role(role)
    for model in (Customer, Contract, ContractOption):
        response = client.get(export_url(model, "csv"))
        may_view = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        assert response.status_code == (200 if may_view.status_code == 200 else 403)
    refused = client.get(reverse("admin:contracts_item_export", args=["csv"]))
    assert refused.status_code == (200 if role != "logistics" else 403)


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(export_url(Contract, "csv"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("model", EXPORTED, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_rows(staff_client, model, fmt):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"

    def queries_for_export():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(export_url(model, fmt))
            assert response.status_code == 200
            body = b"".join(response.streaming_content)
        return len(captured), body

    for _ in range(5):
        MAKERS[model]()
    with_5, _body = queries_for_export()
    for _ in range(45):
        MAKERS[model]()
    with_50, body = queries_for_export()
    assert with_5 == with_50
    assert with_50 <= 12
    if fmt == "csv":
        assert body.decode("utf-8").count("\r\n") >= 51
