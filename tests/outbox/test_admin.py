"""The outbox's screens: each role reads the topics it may read; a message not sent is sent again on request."""

import pytest
from django.conf import settings
from django.urls import reverse

from equipment.services import reminders
from outbox import sending
from outbox.choices import MessageState
from outbox.models import Message
from tests.equipment import factories as ef

pytestmark = pytest.mark.django_db


def test_logistics_reads_reminders_but_not_other_topics(client, django_user_model):
    from django.contrib.auth.models import Group

    ef.reminder()
    sending.post(topic="billing.dunning", key="billing.dunning:1", to="a@example.jp", subject="督促", body="…")
    user = django_user_model.objects.create_user("logi", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="logistics"))
    client.force_login(user)
    page = client.get(reverse("admin:outbox_message_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].queryset.values_list("topic", flat=True)) == [reminders.TOPIC]


def test_send_again_from_the_list(admin_client, mailoutbox):
    message = sending.post(topic="test", key="test:1", to="a@example.jp", subject="件名", body="本文", dispatch=False)
    Message.objects.filter(pk=message.pk).update(state=MessageState.FAILED, attempts=8, error="refused")
    url = reverse("admin:outbox_message_changelist")
    data = {"action": "send", "_selected_action": [message.pk], "_step": "confirm"}
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.state in (MessageState.QUEUED, MessageState.SENT)


def test_the_list_names_each_topic_and_filters_by_it(admin_client):
    ef.reminder()
    page = admin_client.get(reverse("admin:outbox_message_changelist"), {"topic": reminders.TOPIC})
    assert page.context["cl"].result_count == 1
    body = page.content.decode().split('id="result_list"')[1].split("</tbody>")[0].split("<tbody>")[1]
    assert "Return reminders" in body or "返却督促" in body


def test_an_e_mails_page_names_its_topic_in_words(admin_client):
    """返却督促, not equipment.reminder: the key is the code's, the label the staff's."""
    reminder = ef.reminder()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = admin_client.get(reverse("admin:outbox_message_change", args=[reminder.message.pk])).content.decode()
    assert "返却督促" in page
    assert f">{reminders.TOPIC}<" not in page
