"""A job's file (the paper invoices to print, the journal): downloaded by whoever may see the job only,
and replaced, not added to, when the job runs again."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from jobs import files
from jobs.models import Job, JobState
from receivables.background import DUNNING, JOURNAL_EXPORT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def role_user(django_user_model, role: str, name: str):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_jobs_file_goes_to_whoever_sees_the_job(client, django_user_model):
    mine, colleague = role_user(django_user_model, "billing", "mine"), role_user(django_user_model, "billing", "other")
    auditor = role_user(django_user_model, "auditor", "auditor")
    job = Job.objects.create(
        kind=JOURNAL_EXPORT.name, description="journal", arguments={}, state=JobState.DONE, started_by=mine
    )
    files.keep(job, "journal_2025-02.csv", b"first")
    url = files.keep(job, "journal_2025-02.csv", b"again")  # a retry writes it again: one file
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(mine)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"again"
    assert 'filename="journal_2025-02.csv"' in response["Content-Disposition"]
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    client.force_login(auditor)
    assert client.get(url).status_code == 200
    other = Job.objects.create(kind=DUNNING.name, description="dunning", arguments={}, started_by=mine)
    client.force_login(mine)
    assert client.get(url.replace(str(job.pk), str(other.pk))).status_code == 404
