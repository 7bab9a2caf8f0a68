"""What each kind of message is about, and who may read it: a reminder about a rented router is the
business of whoever reads the units, a dunning notice of whoever reads the invoices. Senders register
their ``Topic`` in their app's ``ready()`` (``backoffice.registry``, key ``outbox_topics``); the outbox's
screens show a user only the topics they may read."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.functional import Promise

from backoffice.registry import registry


@dataclass(frozen=True)
class Topic:
    """Messages of ``name`` (``"equipment.reminder"``, shown as ``label``) are read by whoever holds
    ``permission``, and leave from the address of the setting ``sender_setting``, read when the message goes."""

    name: str
    permission: str
    label: str | Promise
    sender_setting: str = "DEFAULT_FROM_EMAIL"


def _topics() -> dict[str, Topic]:
    return registry["outbox_topics"]


def sender(topic: str) -> str:
    """The address messages of ``topic`` leave from."""
    found = _topics().get(topic)
    return getattr(settings, found.sender_setting if found else "DEFAULT_FROM_EMAIL")


def label(topic: str) -> str:
    found = _topics().get(topic)
    return str(found.label if found else topic)


def choices() -> list[tuple[str, str]]:
    return [(topic, label(topic)) for topic in _topics()]


def may_read(user, topic: str) -> bool:
    """Whether ``user`` may read messages of ``topic``."""
    return user.is_superuser or (topic in _topics() and user.has_perm(_topics()[topic].permission))


def readable_by(user) -> Q:
    """The messages ``user`` may read: those of every topic whose permission they hold."""
    if user.is_superuser:
        return Q()
    return Q(topic__in=[name for name, topic in _topics().items() if user.has_perm(topic.permission)])
