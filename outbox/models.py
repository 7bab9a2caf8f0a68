"""The outbox: every e-mail and webhook the back-office sends is first a row, written in the same transaction
as the record it is about, so a message is never lost with a rolled-back change nor sent for one."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check

from .choices import Channel, MessageState


class Message(models.Model):
    """One e-mail to one address, or one webhook to one URL; its key (what it is about) makes it once per key,
    whoever posts it.

    An attachment is named, not copied: its kind (registered by the app that owns it, ``attachments``) and
    its row, read when the message goes — a stored invoice PDF is kept once, by billing.

    A webhook holds its URL in ``to``, its event type in ``subject`` and its JSON in ``body``; its signing
    key is not copied either: ``endpoint_id`` names the row of the topic's app it goes for, whose key that
    app gives when the message goes (``outbox.webhooks``)."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    topic = models.CharField(_("topic"), max_length=40)
    key = models.CharField(_("about"), max_length=120, unique=True)
    to = models.CharField(_("recipient"), max_length=500)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    endpoint_id = models.PositiveBigIntegerField(_("webhook's endpoint"), null=True, blank=True)
    attachment_kind = models.CharField(_("attachment"), max_length=40, blank=True)
    attachment_id = models.PositiveBigIntegerField(_("attachment's row"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("why it was not sent"), blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    tried_at = models.DateTimeField(_("last tried at"), null=True, blank=True)
    retry_at = models.DateTimeField(_("tried again at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    history = HistoricalRecords()

    STATE_FIELD = "state"
    #: A message's moves (``backoffice.moves``). Sending claims it (a stale claim is taken over); it goes or
    #: fails; staff send again what has not gone; a sent message stays sent.
    TRANSITIONS = {
        MessageState.QUEUED: {MessageState.SENDING, MessageState.QUEUED},
        MessageState.SENDING: {MessageState.SENDING, MessageState.SENT, MessageState.FAILED, MessageState.QUEUED},
        MessageState.FAILED: {MessageState.SENDING, MessageState.QUEUED},
        MessageState.SENT: set(),
    }

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        permissions = [("send_message", _("Can send an e-mail again"))]
        indexes = [
            models.Index(fields=["state", "retry_at"], name="outbox_message_due"),
            models.Index(fields=["topic", "-created_at"], name="outbox_message_topic"),
        ]
        constraints = [
            Check(
                condition=Q(state__in=MessageState.values),
                name="%(app_label)s_%(class)s_state_valid",
                field="state",
                violation_error_message=_("Not a state of an e-mail."),
            ),
            Check(
                condition=Q(attachment_kind="", attachment_id__isnull=True)
                | (~Q(attachment_kind="") & Q(attachment_id__isnull=False)),
                name="%(app_label)s_%(class)s_attachment_named_whole",
                field="attachment_kind",
                violation_error_message=_("An attachment is named by its kind and its row."),
            ),
            Check(
                condition=Q(channel__in=Channel.values),
                name="%(app_label)s_%(class)s_channel_valid",
                field="channel",
                violation_error_message=_("Not a channel of the outbox."),
            ),
            Check(
                condition=Q(channel=Channel.EMAIL, endpoint_id__isnull=True)
                | Q(channel=Channel.WEBHOOK, endpoint_id__isnull=False, attachment_kind=""),
                name="%(app_label)s_%(class)s_webhook_names_its_endpoint",
                field="endpoint_id",
                violation_error_message=_("A webhook, and only a webhook, names its endpoint; it carries no file."),
            ),
            Check(
                condition=Q(state=MessageState.SENT, sent_at__isnull=False)
                | (~Q(state=MessageState.SENT) & Q(sent_at__isnull=True)),
                name="%(app_label)s_%(class)s_sent_when_sent",
                field="sent_at",
                violation_error_message=_("An e-mail has a sending time once sent, and only then."),
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def clean(self):
        """An e-mail goes to an address, a webhook to an http(s) URL (which ones a subscription takes is its
        owner's rule)."""
        check = validate_email if self.channel == Channel.EMAIL else URLValidator(schemes=["http", "https"])
        try:
            check(self.to)
        except ValidationError as refusal:
            raise ValidationError({"to": refusal.messages}) from None
