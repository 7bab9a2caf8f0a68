"""What each kind of message is about, and who may read it: a reminder about a rented router is the
business of whoever reads the units, a dunning notice of whoever reads the invoices. Senders register
their topic in their app's ``ready()``; the outbox's screens show a user only the topics they may read."""

from django.conf import settings
from django.db.models import Q

_readers: dict[str, str] = {}
_labels: dict[str, str] = {}
_senders: dict[str, str] = {}


def register(topic: str, permission: str, label, *, sender_setting: str = "") -> None:
    """Messages of ``topic`` (``"equipment.reminder"``, shown as ``label``) are read by whoever holds
    ``permission``, and leave from the address of the setting ``sender_setting`` (``DEFAULT_FROM_EMAIL``
    when none is named), read when the message goes."""
    _readers[topic], _labels[topic] = permission, label
    if sender_setting:
        _senders[topic] = sender_setting


def sender(topic: str) -> str:
    """The address messages of ``topic`` leave from."""
    return getattr(settings, _senders.get(topic, "DEFAULT_FROM_EMAIL"))


def label(topic: str) -> str:
    return str(_labels.get(topic, topic))


def choices() -> list[tuple[str, str]]:
    return [(topic, label(topic)) for topic in _labels]


def may_read(user, topic: str) -> bool:
    """Whether ``user`` may read messages of ``topic``."""
    return user.is_superuser or (topic in _readers and user.has_perm(_readers[topic]))


def readable_by(user) -> Q:
    """The messages ``user`` may read: those of every topic whose permission they hold."""
    if user.is_superuser:
        return Q()
    return Q(topic__in=[topic for topic, permission in _readers.items() if user.has_perm(permission)])
