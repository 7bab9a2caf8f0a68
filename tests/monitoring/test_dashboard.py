"""The monitoring dashboard as sales read it: the notices still to give with the minutes left (late ones by how
much), the outages going on, the drafts to confirm, the notices given late; at a fixed number of queries."""

from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla.models import OutageState
from sla.services import drafts

from .builders import ago, identified

pytestmark = pytest.mark.django_db

URL = "/admin/monitoring/dashboard/"
CIRCUITS = count(1)


def _open(start, end=None, email=""):
    """A draft from the alerts on a new contract, its customer reached by ``email`` (none: by hand)."""
    contract = identified(circuit_id=f"CX-{next(CIRCUITS):04d}", email=email)
    return drafts.open_draft(started_at=start, ended_at=end, cause="LinkDown: Link down", contracts=[contract])


def test_notices_due_show_the_minutes_left_and_late_ones_by_how_much(login_as_role):
    in_time = _open(ago(10))
    late = _open(ago(45))
    page = login_as_role("sales").get(URL)
    assert page.status_code == 200
    due = {row.notice.outage_id: row for row in page.context["due"]}
    assert due[in_time.pk].minutes_left in (19, 20) and not due[in_time.pk].late
    assert due[late.pk].minutes_left in (-16, -15) and due[late.pk].late
    html = page.content.decode()
    assert f"late by {due[late.pk].late_by} min" in html
    assert "no e-mail address: call, then record the time" in html


def test_a_notice_given_leaves_the_list(login_as_role, worked_off):
    with worked_off():
        _open(ago(10), email="noc@example.jp")
    page = login_as_role("sales").get(URL)
    assert page.context["due"] == [] and "Every failure contact has been told." in page.content.decode()


def test_outages_going_on_and_drafts_to_confirm(login_as_role, staff):
    going_on = _open(ago(30))
    ended = _open(ago(120), ago(60))
    confirmed = drafts.confirm(_open(ago(300), ago(200)), by=staff)
    assert confirmed.state == OutageState.CONFIRMED
    page = login_as_role("sales").get(URL)
    assert [row.pk for row in page.context["going_on"]] == [going_on.pk]
    assert [row.pk for row in page.context["to_confirm"]] == [ended.pk]
    assert page.context["going_on"][0].contracts_hit == 1
    assert "Confirm, adjust or exclude them" in page.content.decode()  # sales may


def test_notices_given_late_are_listed(login_as_role, worked_off):
    with worked_off():
        outage = _open(ago(90), email="noc@example.jp")
    page = login_as_role("sales").get(URL)
    assert [notice.outage_id for notice in page.context["late"]] == [outage.pk]


def test_billing_reads_it_but_is_not_offered_to_confirm(login_as_role):
    _open(ago(120), ago(60))
    page = login_as_role("billing").get(URL)
    assert page.status_code == 200 and not page.context["can_confirm"]
    assert "Confirm, adjust or exclude them" not in page.content.decode()


def test_a_role_without_the_alerts_is_refused(login_as_role):
    assert login_as_role("logistics").get(URL).status_code == 403


def test_the_queries_do_not_grow_with_the_rows(login_as_role, worked_off):
    client = login_as_role("sales")

    def rows(n):
        with worked_off():
            for _ in range(n):
                _open(ago(20))  # a notice due, an outage going on
                _open(ago(120), ago(60), email="noc@example.jp")  # a draft to confirm, its notice given late
        with CaptureQueriesContext(connection) as captured:
            page = client.get(URL)
        assert page.status_code == 200
        return len(captured), len(page.context["due"]), len(page.context["to_confirm"])

    one = rows(1)
    ten = rows(9)
    assert (one[1:], ten[1:]) == ((1, 1), (10, 10))
    assert one[0] == ten[0] <= 14, (one, ten)


def test_a_notice_a_little_past_its_30_minutes_is_late_by_a_minute_counted_up(login_as_role):
    _open(ago(31) - timedelta(seconds=30))  # 1 min 30 s to 2 min 29 s past the limit, as the clock turns
    [row] = login_as_role("sales").get(URL).context["due"]
    assert row.late and row.late_by in (2, 3)
