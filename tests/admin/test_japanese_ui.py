"""The Japanese UI: history pages, the timeline's edits, change reasons, yen amounts and the sign-in apps'
pages read in Japanese."""

from datetime import date

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import fields as model_fields
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.timeline import customer_timeline
from contracts.choices import ServiceCode
from contracts.models import Contract, Item
from contracts.services import changes, lifecycle
from tests import factories as f

from .conftest import messages_of, run_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def japanese_client(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    client.force_login(staff)
    return client


def test_history_page_speaks_japanese_and_shows_a_dash_for_no_reason(japanese_client, staff):
    contract = f.contract(ServiceCode.CXM2)  # created without a change reason
    lifecycle.accept(contract, on=date(2025, 1, 10), by=staff)
    page = japanese_client.get(reverse("admin:contracts_contract_history", args=[contract.pk])).content.decode()
    for english in ("Changed by", "Change reason", "Changes", "Object", "None"):
        assert f">{english}<" not in page, english
    assert ">変更者<" in page and ">変更理由<" in page and ">変更内容<" in page
    assert ">作成<" in page and ">変更<" in page  # the history types
    assert "—" in page


def test_admin_strings_missing_from_djangos_catalogue_are_japanese():
    with translation.override("ja"):
        assert str(model_fields.BLANK_CHOICE_LABEL) == "- 選択してください -"
        assert translation.gettext("Filter by %(field_name)s") % {"field_name": "申込日"} == "申込日で絞り込み"
        assert translation.gettext("View history: %s") % "C-1" == "履歴を表示: C-1"


def test_timeline_edits_name_who_did_what_in_japanese(staff):
    staff.last_name, staff.first_name = "山田", "太郎"
    staff.save()
    contract = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    with translation.override("ja"):
        kinds = {e.kind for e in customer_timeline(contract.customer, staff) if e.at is not None}
    assert {"システムが作成", "太郎 山田が変更"} <= kinds


def test_change_reason_names_fields_and_values_as_staff_read_them(staff):
    contract = f.activate(f.contract(ServiceCode.CXM2), by=staff)
    with translation.override("en"):
        changes.accept_change(contract, on=date(2025, 3, 1), by=staff, item=Item.objects.get(pk="cxm2.1g"))
    reason = contract.history.latest().history_change_reason
    assert reason == "Change accepted: Item: 100 Mbps → 1 Gbps"
    assert "cxm2." not in reason


def test_accept_action_writes_yen_with_grouped_digits(client, staff):
    contract = f.contract(ServiceCode.CXM2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    client.force_login(staff)
    response = run_action(
        client, Contract, "accept", [contract], on=date(2025, 1, 10), initial_fee=30_000, monthly_fee=120_000
    )
    assert any("30,000円" in m and "120,000円" in m for m in messages_of(response)), messages_of(response)


def test_the_sign_in_locks_and_two_factor_devices_read_in_japanese(japanese_client, staff):
    device = TOTPDevice.objects.create(user=staff, name="app")
    AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", user_agent="ua", http_accept="*/*", path_info="/", failures_since_start=2
    )
    index = japanese_client.get(reverse("admin:index")).content.decode()
    sections = ("サインインのロック", "サインイン失敗の集計", "二要素認証：認証アプリ", "二要素認証：リカバリーコード")
    assert all(section in index for section in sections)
    attempts = japanese_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    devices = japanese_client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    page = japanese_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert "ユーザーエージェント" in attempts and "最終使用日時" in devices and "試行の制限" in page
    english = (
        "Axes",
        "Otp_Totp",
        "Otp_Static",
        "Access attempts",
        "TOTP devices",
        "Static devices",
        "Attempt Time",
        "IP Address",
        "Failed Logins",
        "Attempt Remaining",
        "last used at",
        "Search by user",
        "Identity",
        "Throttling",
        "The time step in seconds.",
    )
    for text in english:
        for name, html in (("index", index), ("attempts", attempts), ("devices", devices), ("device", page)):
            assert f">{text}" not in html and f"{text}<" not in html, (name, text)
