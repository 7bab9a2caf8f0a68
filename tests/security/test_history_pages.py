"""History and version pages show a row only to whom its list shows it (issue 27, finding 2), and take a
malformed id in their URL for "not found" (finding 4).

Every registered model with history is walked, by every role and a superuser, so a model or a row filter
added later is covered without touching this file."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from backoffice.admin import HistoryAdmin
from backoffice.roles import AUDITOR, BILLING, LOGISTICS, ROLE_NAMES, SALES
from billing.background import BILLING_RUN
from jobs.models import Job
from outbox import sending
from outbox.models import Message
from receivables.services import dunning
from tests.admin.conftest import changelist_url
from tests.admin.test_smoke import MAKERS, REGISTERED

pytestmark = pytest.mark.django_db

HISTORIED = [model for model in REGISTERED if isinstance(admin.site._registry[model], HistoryAdmin)]
#: Ids no row can have: not a number, a NUL byte, a fraction, past any column's range, past any key's length.
MALFORMED = ["abc", "%00", "1.5", "9" * 300, "x" * 300]


def _label(model) -> str:
    return model._meta.label


def _info(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def _client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _staff(name: str, *roles: str) -> User:
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def _readers(staff) -> dict[str, Client]:
    """A client of each role, and of a superuser (who is shown every row)."""
    return {"superuser": _client(staff)} | {role: _client(_staff(f"{role}-reader", role)) for role in ROLE_NAMES}


def _history_pages(obj) -> list[str]:
    """The history page of ``obj`` and the page of its latest version."""
    model = type(obj)
    version = obj.history.latest("history_date", "history_id")
    return [
        reverse(f"{_info(model)}_history", args=[obj.pk]),
        reverse(f"{_info(model)}_simple_history", args=[obj.pk, version.history_id]),
    ]


def _list_answer(client, obj) -> int:
    """What the list answers this reader about ``obj``: 200 when it shows the row, 404 when it hides it,
    and its refusal (403) when the reader may not see the list at all. A proxy's row (a receivable) is
    its concrete model's (the invoice's), whose admin keeps the history."""
    response = client.get(changelist_url(type(obj)._meta.concrete_model))
    if response.status_code != 200:
        return response.status_code
    return 200 if response.context["cl"].queryset.filter(pk=obj.pk).exists() else 404


@pytest.mark.parametrize("model", HISTORIED, ids=_label)
def test_history_pages_answer_each_role_as_its_list_does(staff, model):
    obj = MAKERS[model]()
    pages = _history_pages(obj)
    answers = {}
    for name, client in _readers(staff).items():
        expected = _list_answer(client, obj)
        for page in pages:
            assert client.get(page, follow=True).status_code == expected, (name, page)
        answers[name] = expected
    assert answers["superuser"] == 200


def test_a_job_started_by_another_is_not_found_on_its_history_pages(staff):
    started_by = _staff("starter", SALES)
    job = Job.objects.create(
        kind=BILLING_RUN.name, description="LEAKCHECK run", arguments={"month": "2025-03"}, started_by=started_by
    )
    pages = _history_pages(job)
    for reader, expected in ((_staff("colleague", SALES), 404), (started_by, 200), (_staff("audit", AUDITOR), 200)):
        client = _client(reader)
        for page in pages:
            response = client.get(page)
            assert response.status_code == expected, (reader.username, page)
            assert ("LEAKCHECK" in response.content.decode()) is (expected == 200)


def test_a_dunning_e_mail_is_not_found_on_its_history_pages_by_logistics(staff):
    message = sending.post(
        topic=dunning.TOPIC, key="dunning:test", to="a@example.jp", subject="LEAKCHECK", body="本文", dispatch=False
    )
    pages = _history_pages(message)
    for role, expected in ((LOGISTICS, 404), (BILLING, 200), (AUDITOR, 200)):
        client = _client(_staff(f"{role}-reader", role))
        assert _list_answer(client, message) == expected, role
        for page in pages:
            assert client.get(page).status_code == expected, (role, page)


def test_a_deleted_rows_history_is_read_only_by_whom_the_list_hides_nothing(staff):
    message = sending.post(topic="test", key="gone", to="a@example.jp", subject="LEAKCHECK", body="本文")
    pages = _history_pages(message)
    Message.objects.filter(pk=message.pk).delete()  # no service deletes an e-mail: as a row of another model
    assert Message.history.filter(id=message.pk, history_type="-").exists()
    for reader, expected in ((staff, 200), (_staff("audit", AUDITOR), 404)):
        client = _client(reader)
        for page in pages:
            assert client.get(page).status_code == expected, (reader.username, page)


@pytest.mark.parametrize("model", HISTORIED, ids=_label)
def test_malformed_ids_in_history_urls_are_not_found(staff_client, model):
    obj = MAKERS[model]()
    history, version = _history_pages(obj)
    list_url = changelist_url(model)
    version_id = version.rstrip("/").rsplit("/", 1)[1]
    for bad in MALFORMED:
        for url in (
            f"{list_url}{bad}/history/",
            f"{list_url}{bad}/history/{version_id}/",
            f"{history}{bad}/",
        ):
            assert staff_client.get(url, follow=True).status_code == 404, url


@pytest.mark.parametrize("model", sorted(set(REGISTERED) - set(HISTORIED), key=_label), ids=_label)
def test_malformed_ids_in_django_own_history_urls_are_its_not_found_redirect(staff_client, model):
    """Users, groups, sign-in records and devices keep Django's own history page: no such row sends the
    reader back to the index with a message, as their change pages do."""
    MAKERS[model]()
    for bad in MALFORMED:
        response = staff_client.get(f"{changelist_url(model)}{bad}/history/")
        assert response.status_code == 302 and response["Location"] == reverse("admin:index"), bad
