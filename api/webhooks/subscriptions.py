"""Making a subscription and rotating its secret: the secret is returned to be shown this once.

It is stored as it is, because signing needs it (``outbox.webhooks``); no screen shows it again, its history
leaves it out (``WebhookSubscription.history``), and whoever lost it rotates it."""

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.moves import lock, save_audited
from outbox import webhooks

from ..models import WebhookSubscription

#: The outbox topic of the deliveries: read by whoever reads the subscriptions.
TOPIC = "api.webhook"


@transaction.atomic
def create(subscription: WebhookSubscription, *, by) -> str:
    """Save a new subscription of ``by`` with a new secret; the secret, to show once."""
    subscription.owner = by
    subscription.secret = webhooks.new_secret()
    save_audited(subscription, by=by, reason=_("Webhook subscription created"))
    return subscription.secret


@transaction.atomic
def rotate(subscription: WebhookSubscription, *, by) -> str:
    """Give the subscription a new secret (the old one stops at once); the new one, to show once."""
    row = lock(subscription)
    row.secret = webhooks.new_secret()
    save_audited(row, by=by, reason=_("Webhook secret rotated"))
    return row.secret


def secret_of(subscription_id: int) -> str:
    """The secret a delivery to ``subscription_id`` is signed with (registered as the outbox's hook)."""
    return WebhookSubscription.objects.values_list("secret", flat=True).get(pk=subscription_id)
