"""The jobs page in the browser: staff see their own jobs, what failed and why, and retry after confirming;
the auditor sees every job."""

from datetime import date

import pytest
from django.utils import translation

from billing.background import run_later
from billing.models import BillingMonth
from jobs.models import Job, JobState
from tests.billing.helpers import bill_and_close, in_service
from tests.workers import run_ready_tasks

from .steps import run_action, sign_in, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_follow_their_jobs_and_retry_a_failed_one_the_auditor_sees_all(page, site, browser, django_user_model):
    in_service(accepted_on=date(2025, 1, 10), billing_on=date(2025, 1, 15))
    closed = bill_and_close(2025, 2)
    billing = sign_in(page, site, "billing")
    colleague = django_user_model.objects.create_user("colleague")
    with translation.override("ja"):  # started from the Japanese screens: the job speaks Japanese
        failing = run_later(closed, by=billing)  # a run of a closed month: refused, the job fails with the reason
    run_later(BillingMonth.objects.create(month=date(2025, 3, 1)), by=colleague)
    run_ready_tasks()
    failing.refresh_from_db()
    assert failing.state == JobState.FAILED

    page.goto(f"{site}/admin/jobs/job/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "2025年2月" in rows.first.inner_text()  # their own job only
    page.click("#changelist-filter a[href*='state__exact=failed']")
    page.wait_for_url("**state__exact=failed")
    assert page.locator("#result_list tbody tr").count() == 1
    page.click(f"#result_list a[href*='/jobs/job/{failing.pk}/change/']")
    assert "締め済み" in page.locator(".field-error").inner_text()  # the refusal, in its starter's language

    page.goto(f"{site}/admin/jobs/job/")
    tick(page, failing)
    run_action(page, "retry")
    assert "再投入しました" in page.locator("ul.messagelist li.success").inner_text()  # queued again
    failing.refresh_from_db()
    assert failing.state == JobState.QUEUED
    run_ready_tasks()
    failing.refresh_from_db()
    assert (failing.state, failing.attempts) == (JobState.FAILED, 2)  # the month is still closed

    auditor_tab = browser.new_context(locale="ja-JP").new_page()
    sign_in(auditor_tab, site, "auditor")
    auditor_tab.goto(f"{site}/admin/jobs/job/")
    assert auditor_tab.locator("#result_list tbody tr").count() == Job.objects.count() == 3  # closing's rendering too
    assert "バックグラウンド処理" in auditor_tab.content()
    auditor_tab.context.close()
