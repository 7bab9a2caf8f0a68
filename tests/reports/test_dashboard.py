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
from django.utils import timezone

from backoffice import worklists
from contracts.choices import ServiceCode
from jobs.models import JobState
from reports import freshness
from reports.models import PreparedReport
from tests import factories

from .conftest import HOSTILE

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
PREPARE = reverse("reports:prepare")


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
    assert f'action="{PREPARE}"' in html and 'name="format" value="xlsx"' in html
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
    for url, send in ((DASHBOARD, billing.get), (PREPARE, billing.post)):
        response = send(url, {"month": month, "format": "xlsx"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert "month" not in response.context or response.context.get("figures") is None


def test_a_nul_byte_is_refused_like_anywhere_in_the_admin(billing):
    assert billing.get(DASHBOARD, {"month": "\x00", "format": "xlsx"}).status_code == 400
    refused = billing.post(PREPARE, {"month": "\x00", "format": "xlsx"})
    assert refused.status_code == 200 and refused.context["form"].errors


def test_an_unknown_format_is_a_form_error(billing):
    response = billing.post(PREPARE, {"month": "2025-03", "format": "pdf"})
    assert response.status_code == 200 and "format" in response.context["form"].errors


def _prepared(billing, worked_off, fmt):
    with worked_off():
        response = billing.post(PREPARE, {"month": "2025-03", "format": fmt})
    assert response.status_code == 302
    page = billing.get(DASHBOARD, {"month": "2025-03"})
    files = {f: (ready, current) for f, _label, ready, current in page.context["files"]}
    ready, current = files[fmt]
    assert current and ready.job.state == JobState.DONE and ready.job.done == ready.job.total
    return billing.get(reverse("reports:prepared", args=[ready.pk]))


def test_a_report_is_prepared_by_a_worker_then_downloaded(march, billing, worked_off):
    response = _prepared(billing, worked_off, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "monthly_report_2025-03.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == "Summary March 2025"
    assert HOSTILE in [cell.value for row in book["Contracts in force"].iter_rows() for cell in row]
    zipped = _prepared(billing, worked_off, "csv")
    with zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))) as archive:
        assert archive.namelist()[0] == "01_summary.csv"


def test_a_prepared_report_is_kept_until_the_data_changes(march, billing, worked_off, staff):
    _prepared(billing, worked_off, "xlsx")
    with worked_off():
        billing.post(PREPARE, {"month": "2025-03", "format": "xlsx"})
    assert PreparedReport.objects.count() == 1  # current: asked again, nothing is written again
    contract = factories.contract(ServiceCode.CXM2)
    factories.activate(contract, accepted_on=date(2025, 3, 5), billing_on=date(2025, 3, 6), by=staff)
    page = billing.get(DASHBOARD, {"month": "2025-03"})
    assert [current for fmt, _label, _ready, current in page.context["files"] if fmt == "xlsx"] == [False]
    assert "Prepare again (the data changed)" in page.content.decode()
    _prepared(billing, worked_off, "xlsx")
    assert PreparedReport.objects.count() == 2


def test_each_language_has_its_own_report(march, billing, worked_off):
    _prepared(billing, worked_off, "xlsx")
    billing.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = _prepared(billing, worked_off, "xlsx")
    assert "monthly_report" not in response["Content-Disposition"]  # its name is Japanese too
    assert sorted(PreparedReport.objects.values_list("language", flat=True)) == ["en", "ja"]


def test_a_prepared_file_is_read_only_by_who_reads_reports(march, billing, worked_off, login_as_role):
    _prepared(billing, worked_off, "xlsx")
    url = reverse("reports:prepared", args=[PreparedReport.objects.get().pk])
    assert login_as_role("sales").get(url).status_code == 403
    auditor = login_as_role("auditor")
    assert auditor.get(url).status_code == 200
    assert auditor.get(reverse("reports:prepared", args=[999_999])).status_code == 404


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


def test_the_newest_change_is_read_in_one_query_and_moves_with_any_audited_change(march, staff):
    with CaptureQueriesContext(connection) as captured:
        before = freshness.newest_change()
    assert len(captured) == 1
    assert before is not None and timezone.is_aware(before)
    contract = factories.contract(ServiceCode.CXM2)
    factories.activate(contract, accepted_on=date(2025, 3, 5), billing_on=date(2025, 3, 6), by=staff)
    newest = contract.history.latest().history_date
    assert freshness.newest_change() == newest > before
