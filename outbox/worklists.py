"""The outbox's worklist on the admin index: the e-mails that could not be sent."""

from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from .choices import MessageState
from .models import Message

UNSENT = Worklist(
    _("Outgoing mail"),
    _("E-mails not sent"),
    "admin:outbox_message_changelist",
    "outbox.send_message",
    query=f"state__exact={MessageState.FAILED}",
    count=lambda: Message.objects.filter(state=MessageState.FAILED).count(),
)
