"""Moving a row from one status to another, the one way every domain app does it.

The row is locked for the rest of the transaction, the move is checked against the caller's
transition table (``{status: statuses it may move to}``), the rules run (``full_clean``) and the
history records who moved it and why. Contracts' lifecycle builds on the parts; an app with a
simple lifecycle (rented equipment) calls ``move``.
"""

from collections.abc import Collection, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from .display import display_value
from .exceptions import InvalidTransition

Transitions = Mapping[str, Collection[str]]


def lock(obj):
    """``obj``'s row read again and locked (``SELECT … FOR UPDATE``) until the transaction ends.

    Django refuses it outside ``transaction.atomic()``, so a forgotten transaction fails loudly.
    """
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def check_move(row, to: str, transitions: Transitions) -> None:
    """Refuse moving ``row`` from its status to ``to`` unless ``transitions`` allows it."""
    if to not in transitions.get(row.status, ()):
        status = row._meta.get_field("status")
        raise InvalidTransition(
            _("%(obj)s cannot move from “%(old)s” to “%(new)s”.")
            % {"obj": row, "old": display_value(status, row.status), "new": display_value(status, to)}
        )


def save_audited(row, *, by, reason: str, **checks) -> None:
    """Validate ``row`` (every rule of its ``clean()``; ``checks``: keywords its ``full_clean`` takes), then save
    it with ``by`` and ``reason`` in its history."""
    row.full_clean(**checks)
    row._history_user = by
    row._change_reason = reason
    row.save()


@transaction.atomic
def move(obj, to: str, *, transitions: Transitions, by=None, reason: str, **changes):
    """Move ``obj`` to status ``to``, setting ``changes`` (e.g. the date of the move) on the way.

    Returns the saved row; ``obj`` is refreshed from it.
    """
    row = lock(obj)
    check_move(row, to, transitions)
    row.status = to
    for name, value in changes.items():
        setattr(row, name, value)
    save_audited(row, by=by, reason=reason)
    obj.refresh_from_db()
    return row


__all__ = ["Transitions", "check_move", "lock", "move", "save_audited"]
