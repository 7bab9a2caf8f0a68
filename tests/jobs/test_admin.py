"""The jobs page: whose jobs each role sees, a constant number of queries, and retry only of failed jobs."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from billing.background import BILLING_RUN
from jobs import services
from jobs.models import Job, JobState
from tests.admin.conftest import changelist_url, messages_of, run_action

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def job(by, state=JobState.FAILED, **kw) -> Job:
    return Job.objects.create(
        kind=BILLING_RUN.name, description=f"run by {by}", arguments={"month": 1}, state=state, started_by=by, **kw
    )


def role_user(django_user_model, role: str, name: str):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def listed(client, **query) -> list[str]:
    response = client.get(changelist_url(Job), query)
    return sorted(row.started_by.username for row in response.context["cl"].result_list)


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_staff_see_their_own_jobs_the_auditor_every_job_in_constant_queries(
    client, django_user_model, django_assert_max_num_queries
):
    mine, colleague = role_user(django_user_model, "billing", "mine"), role_user(django_user_model, "billing", "other")
    auditor = role_user(django_user_model, "auditor", "auditor")
    for _ in range(3):
        job(mine), job(colleague, JobState.DONE, total=10, done=10)
    client.force_login(mine)
    assert listed(client, q="run") == ["mine"] * 3
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        assert listed(client, state__exact="done") == ["other"] * 3
    assert "10 / 10 (100%)" in client.get(changelist_url(Job)).content.decode()
    for _ in range(20):
        job(colleague)
    with django_assert_max_num_queries(12):
        client.get(changelist_url(Job))


def test_a_failed_job_is_retried_after_confirming_and_a_done_one_is_refused(
    client, django_user_model, django_capture_on_commit_callbacks
):
    user = role_user(django_user_model, "billing", "mine")
    failed, done = job(user, error="boom"), job(user, JobState.DONE)
    client.force_login(user)
    with django_capture_on_commit_callbacks() as enqueued:
        response = run_action(client, Job, "retry", [failed])
    assert len(enqueued) == 1 and "queued again" in " ".join(messages_of(response))
    failed.refresh_from_db()
    assert (failed.state, failed.error) == (JobState.QUEUED, "")
    assert failed.history.first().history_user == user
    with pytest.raises(ValidationError, match="Only a failed job"):
        services.retry(done, by=user)


def test_a_job_without_progress_is_taken_up_again_and_a_lively_one_is_left_alone(
    django_user_model, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    user = django_user_model.objects.create_user("mine")
    stalled = job(user, JobState.RUNNING)
    lively = job(user, JobState.RUNNING)
    Job.objects.filter(pk=stalled.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1), created_at=timezone.now() - timedelta(hours=1)
    )
    Job.objects.filter(pk=lively.pk).update(heartbeat_at=timezone.now(), created_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks() as enqueued:
        resumed = services.resume_stalled(older_than=timedelta(minutes=10))
    assert [row.pk for row in resumed] == [stalled.pk] and len(enqueued) == 1


def test_an_import_result_reads_a_refused_row_a_line_with_its_link(client, django_user_model):
    user = role_user(django_user_model, "billing", "mine")
    done = job(user, JobState.DONE, result="2 rows: 0 accepted.\n2 customer <K1> refused", result_url="/admin/")
    client.force_login(user)
    page = client.get(f"/admin/jobs/job/{done.pk}/change/").content.decode()
    assert '2 rows: 0 accepted.<br>2 customer &lt;K1&gt; refused<br><a href="/admin/">open</a>' in page
