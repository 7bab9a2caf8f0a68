"""What dunning notices and invoice deliveries share: their e-mail is a message of the outbox, which says
whether it went; a row has none while the customer has no billing contact e-mail (staff see it as not sent,
and the daily run queues it once there is one)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outbox.choices import MessageState

NO_ADDRESS = _("The customer has no billing contact e-mail.")


class MailedQuerySet(models.QuerySet):
    def unsent(self):
        """The rows whose e-mail could not go: failed, or never queued for want of an address."""
        return self.filter(Q(message__state=MessageState.FAILED) | self.model.UNADDRESSED)


class Mailed(models.Model):
    """A row e-mailed to the customer through the outbox (abstract): the message says where the e-mail stands."""

    message = models.OneToOneField(
        "outbox.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="%(class)s",
        verbose_name=_("e-mail"),
    )  # fmt: skip

    #: The rows waiting for an address (a row of ``UNADDRESSED`` has no message).
    UNADDRESSED = Q(message__isnull=True)

    objects = MailedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def unaddressed(self) -> bool:
        return self.message_id is None

    @property
    def state_label(self) -> str:
        """The message's state; "not sent" while there is no address to send it to."""
        return self.message.get_state_display() if self.message_id else str(MessageState.FAILED.label)

    @property
    def error(self) -> str:
        """Why the e-mail did not go (the outbox's reason), or that there is no address."""
        if self.unaddressed:
            return str(NO_ADDRESS)
        return self.message.error if self.message_id else ""
