from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    """Queued in the sender's transaction, claimed (sending) just before it goes, then sent or failed.

    A failed message is tried again later, a little later each time, up to ``OUTBOX_MAX_ATTEMPTS``."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class Channel(models.TextChoices):
    """How a message goes: an e-mail to an address, or a webhook: a signed POST of its JSON body to a URL
    (``outbox.webhooks``)."""

    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
