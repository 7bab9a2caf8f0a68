"""A customer's timeline: the dated events and recorded edits of everything the customer holds, in order.

Events come from *sources*, functions ``customer -> iterable of Event`` that each domain app registers
(``backoffice.registry``, key ``timeline_sources``) in its ``AppConfig.ready()`` (customers, contracts,
equipment, billing, SLA). A source runs a fixed number of queries whatever the number of rows, and
declares with ``@needs`` the view permissions of every model whose fields its events show: a user sees
only the sources they hold all of.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .display import record_changes
from .registry import registry


@dataclass(frozen=True)
class Event:
    on: date
    kind: str
    subject: str
    text: str = ""
    url: str = ""
    #: The exact time of a recorded edit; dated events without one sort first within their day.
    at: datetime | None = None

    @property
    def sort_key(self):
        return (self.on, self.at.timestamp() if self.at else float("-inf"))


Source = Callable[..., Iterable[Event]]


def needs(*permissions: str) -> Callable[[Source], Source]:
    """Declare the permissions (``"app.view_model"``) a source's events need: those of every model shown."""

    def declare(source: Source) -> Source:
        source.permissions = permissions
        return source

    return declare


def check_source(source: Source) -> None:
    """Refuse a source that declares no permission: its events would show to everyone."""
    if not getattr(source, "permissions", ()):
        raise ImproperlyConfigured(f"Timeline source {source.__qualname__} declares no permission (@needs).")


def customer_timeline(customer, user) -> list[Event]:
    """The events of ``customer`` that ``user`` may view, from every source, oldest first (stable within a day)."""
    sources = registry["timeline_sources"].values()
    allowed = [source for source in sources if user.has_perms(source.permissions)]
    return sorted((event for source in allowed for event in source(customer)), key=lambda e: e.sort_key)


def _user_name(user) -> str:
    """Who made a recorded edit, as colleagues call them: the full name, else the login; "system" for none."""
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def history_events(model, records, label: Callable) -> Iterable[Event]:
    """One event per history record of ``model``, with the fields it changed against the previous version.

    ``records`` is a queryset of ``model.history``; ``label(record)`` names the row in the event.
    """
    previous = {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        previous[record.id] = record
        parts = [f"{field}: {old} → {new}" for field, old, new in (record_changes(record, before) if before else [])]
        if record.history_change_reason:
            parts.append(_("reason: %(reason)s") % {"reason": record.history_change_reason})
        who = _user_name(record.history_user)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.id])
        yield Event(
            on=timezone.localdate(record.history_date),
            kind=_("%(type)s by %(user)s") % {"type": record.get_history_type_display(), "user": who},
            subject=label(record),
            text="; ".join(parts),
            url=url,
            at=record.history_date,
        )


__all__ = ["Event", "check_source", "customer_timeline", "history_events", "needs"]
