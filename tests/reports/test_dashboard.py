"""The month's dashboard and the download in the admin: figures, charts, month picker, permissions."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice import worklists
from contracts.choices import ServiceCode
from tests import factories

from .conftest import HOSTILE

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
DOWNLOAD = reverse("reports:download")


@pytest.fixture
def billing(login_as_role):
    return login_as_role("billing")


def test_the_dashboard_shows_the_figures_and_charts_of_the_month(march, billing):
    response = billing.get(DASHBOARD, {"month": "2025-03"})
    assert response.status_code == 200
    figures = {str(label): (count, amount) for label, count, amount in response.context["figures"]}
    assert figures["Contracts in force at month end (monthly fees)"] == (2, "120,000 yen")
    assert figures["New contracts (accepted in the month)"] == (1, None)
    html = response.content.decode()
    assert html.count('role="img" class="report-chart"') == len(response.context["charts"]) >= 1
    assert "<polyline" in html
    assert "Managed Router Service" in html
    assert f"{DOWNLOAD}?month=2025-03&amp;format=xlsx" in html
    assert "<script" not in html.split('id="content-main"')[1]


def test_the_dashboard_speaks_japanese_by_default(march, billing):
    billing.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    html = billing.get(DASHBOARD, {"month": "2025-03"}).content.decode()
    assert "月次ダッシュボード" in html and "月末時点の有効契約" in html


def test_without_a_month_the_dashboard_shows_the_last_month(billing, today):
    today(date(2025, 4, 10))
    response = billing.get(DASHBOARD)
    assert str(response.context["month"]) == "2025-03"


@pytest.mark.parametrize("month", ["2025-13", "9999-01", "<script>", "2025-03'--", "x" * 500])
def test_a_hostile_month_is_a_form_error_on_both_pages(billing, month):
    for url in (DASHBOARD, DOWNLOAD):
        response = billing.get(url, {"month": month, "format": "xlsx"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert "month" not in response.context or response.context.get("figures") is None


def test_a_nul_byte_is_refused_like_anywhere_in_the_admin(billing):
    for url in (DASHBOARD, DOWNLOAD):
        assert billing.get(url, {"month": "\x00", "format": "xlsx"}).status_code == 400


def test_an_unknown_format_is_a_form_error(billing):
    response = billing.get(DOWNLOAD, {"month": "2025-03", "format": "pdf"})
    assert response.status_code == 200 and "format" in response.context["form"].errors


def test_the_download_is_the_report(march, billing):
    response = billing.get(DOWNLOAD, {"month": "2025-03", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "monthly_report_2025-03.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == "Summary 2025-03"
    assert HOSTILE in [cell.value for row in book["Contracts in force"].iter_rows() for cell in row]
    zipped = billing.get(DOWNLOAD, {"month": "2025-03", "format": "csv"})
    with zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))) as archive:
        assert archive.namelist()[0] == "01_summary.csv"


@pytest.mark.parametrize(("role", "listed"), [("billing", True), ("auditor", True), ("sales", False)])
def test_the_dashboard_is_listed_on_the_index_for_those_who_read_it(role, listed, django_user_model):
    user = django_user_model.objects.create_user(f"{role}-reader", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    urls = [link.url for _group, links in worklists.visible(user) for link in links]
    assert (DASHBOARD in urls) == listed


def test_the_dashboard_reads_a_fixed_number_of_queries(march, billing, staff):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert billing.get(DASHBOARD, {"month": "2025-03"}).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(10):
        contract = factories.contract(ServiceCode.CXM2)
        factories.activate(contract, accepted_on=date(2025, 3, 5), billing_on=date(2025, 3, 6), by=staff)
    assert queries() == before
