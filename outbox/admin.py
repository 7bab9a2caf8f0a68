from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, registered_filter

from . import sending, topics
from .models import Message


def _send_again(message, data, user):
    sending.send_again(message, by=user)


SEND_AGAIN = StepAction("send", gettext_lazy("Send again"), forms.Form, _send_again)


@admin.register(Message)
class MessageAdmin(HistoryAdmin):
    """Every e-mail and webhook the back-office sent or will send; written by the services only, sent again on
    request."""

    list_display = (
        "created_at",
        "channel",
        "topic_label",
        "to",
        "subject",
        "state",
        "attempts",
        "status_code",
        "sent_at",
        "retry_at",
    )
    list_filter = (
        "state",
        "channel",
        registered_filter("topic", gettext_lazy("topic"), topics.choices),
        "created_at",
    )
    search_fields = ("to", "subject", "key")
    date_hierarchy = "created_at"
    #: Every field, read only; the topic in words (its registered label), not its key.
    fields = readonly_fields = [
        "topic_label" if field.name == "topic" else field.name for field in Message._meta.fields
    ]
    actions = [SEND_AGAIN.as_admin_action()]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(topics.readable_by(request.user))

    @admin.display(description=gettext_lazy("topic"), ordering="topic")
    def topic_label(self, obj):
        return topics.label(obj.topic)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request, obj=None):
        return request.user.has_perm("outbox.send_message")
