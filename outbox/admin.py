from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin
from jobs import acts

from . import background, sending, topics
from .models import Message


def _send_again(message, data, user):
    sending.send_again(message, by=user)


SEND_AGAIN = StepAction("send", gettext_lazy("Send again"), forms.Form, _send_again)


def _send_now_preview(data) -> list[str]:
    """How many e-mails will go, of which topic, and to whom (the first twenty addresses)."""
    rows = background.waiting()
    count = rows.count()
    if not count:
        raise ValidationError(_("No e-mail is waiting to be sent."))
    by_topic = rows.order_by().values("topic").annotate(n=Count("pk")).values_list("topic", "n")
    recipients = sorted(set(rows.values_list("to", flat=True)[:200]))
    return [
        _("%(count)d e-mails waiting are sent now, without waiting for their time to try again.") % {"count": count},
        *(f"{topics.label(topic)}: {n}" for topic, n in sorted(by_topic)),
        _("To: %(recipients)s") % {"recipients": ", ".join(recipients[:20]) + (" …" if len(recipients) > 20 else "")},
    ]


SEND_NOW = acts.Act(
    "send_now",
    gettext_lazy("Send the outbox now"),
    "outbox.send_message",
    _send_now_preview,
    lambda data, user: background.send_later(by=user),
)


class TopicFilter(admin.SimpleListFilter):
    title = gettext_lazy("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return topics.choices()

    def queryset(self, request, queryset):
        return queryset.filter(topic=self.value()) if self.value() else queryset


@admin.register(Message)
class MessageAdmin(HistoryAdmin):
    """Every e-mail the back-office sent or will send; written by the services only, sent again on request."""

    list_display = ("created_at", "topic_label", "to", "subject", "state", "attempts", "sent_at", "retry_at")
    list_filter = ("state", TopicFilter, "created_at")
    search_fields = ("to", "subject", "key")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = [SEND_AGAIN.as_admin_action()]

    def get_urls(self):
        return acts.urls(self, [SEND_NOW]) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        buttons = {"acts": acts.buttons(request, self.opts, [SEND_NOW])}
        return super().changelist_view(request, {**buttons, **(extra_context or {})})

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
