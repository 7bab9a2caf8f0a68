"""Moving a row from one state to another, the one way every app does it.

A model that moves declares its transition table beside its fields: ``TRANSITIONS`` (``{state: states it
may move to}``) and, when its state field is not ``status``, ``STATE_FIELD``. A move locks the row for the
rest of the transaction, is checked against the table, runs the rules (``full_clean``) and records who moved
it and why in the history. ``move`` does it all; ``move_locked`` is the same for a row its caller locked
(to read it first), and ``lock_for_move`` locks it for a move a task may be asked to do twice;
``move_all`` moves a set of rows with one update and a history row each.
"""

from collections.abc import Callable, Collection, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from .bulk_history import update_with_history
from .display import display_value
from .exceptions import InvalidTransition

Transitions = Mapping[str, Collection[str]]
#: What a move sets besides the state, read from the locked row.
Changes = Callable[[object], Mapping[str, object]]


def state_field(model) -> str:
    return getattr(model, "STATE_FIELD", "status")


def lock(obj):
    """``obj``'s row read again and locked (``SELECT … FOR UPDATE``) until the transaction ends.

    Django refuses it outside ``transaction.atomic()``, so a forgotten transaction fails loudly.
    """
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def allows(row, to: str, transitions: Transitions | None = None) -> bool:
    """Whether ``row``'s table (or ``transitions``) lets it move from its state to ``to``."""
    table = type(row).TRANSITIONS if transitions is None else transitions
    return to in table.get(getattr(row, state_field(type(row))), ())


def check_move(row, to: str, transitions: Transitions | None = None) -> None:
    """Refuse moving ``row`` from its state to ``to`` unless its table (or ``transitions``) allows it."""
    if not allows(row, to, transitions):
        field = row._meta.get_field(state_field(type(row)))
        raise InvalidTransition(
            _("%(obj)s cannot move from “%(old)s” to “%(new)s”.")
            % {
                "obj": row,
                "old": display_value(field, getattr(row, field.name)),
                "new": display_value(field, to),
            }
        )


def save_audited(row, *, by, reason: str, **checks) -> None:
    """Validate ``row`` (every rule of its ``clean()``; ``checks``: keywords its ``full_clean`` takes), then save
    it with ``by`` and ``reason`` in its history.

    The one-row way of writing history; many rows at once go through ``backoffice.bulk_history``."""
    row.full_clean(**checks)
    row._history_user = by
    row._change_reason = reason
    row.save()


def _set(row, to: str, changes: Mapping[str, object]) -> None:
    setattr(row, state_field(type(row)), to)
    for name, value in changes.items():
        setattr(row, name, value)


def move_locked(row, to: str, *, by=None, reason: str, transitions: Transitions | None = None, **changes):
    """Move ``row``, locked by the caller (``lock``), to ``to``, setting ``changes`` on the way. Returns it."""
    check_move(row, to, transitions)
    _set(row, to, changes)
    save_audited(row, by=by, reason=reason)
    return row


@transaction.atomic
def move(obj, to: str, *, by=None, reason: str, transitions: Transitions | None = None, **changes):
    """Move ``obj`` to ``to``, setting ``changes`` (e.g. the date of the move) on the way.

    Returns the saved row; ``obj`` is refreshed from it.
    """
    row = move_locked(lock(obj), to, by=by, reason=reason, transitions=transitions, **changes)
    obj.refresh_from_db()
    return row


def lock_for_move(obj, to: str, *, live: Callable[[object], bool] | None = None):
    """``obj``'s row locked, if a task that may be delivered twice (at least once) is still to move it to ``to``
    (``move_locked``); None when another delivery did.

    None when the row moved past ``to`` (its table refuses the move: done, sent). When ``to`` is a claim
    (``live`` given), None while the row is already claimed and ``live(row)`` says its claimant shows life;
    once it is silent, the row is taken over: refusing for good would strand work whose worker died, taking
    over a live claim would do it twice at once.
    """
    row = lock(obj)
    claimed = live is not None and getattr(row, state_field(type(row))) == to and live(row)
    return None if claimed or not allows(row, to) else row


@transaction.atomic
def move_all(rows, to: str, *, by=None, reason: str | Callable[[object], str], changes: Changes) -> list:
    """Move every row of the query set ``rows`` to ``to``, setting ``changes(row)`` on each: all locked, each
    checked against the table and its rules before any is written, then one update and a history row each
    with ``reason`` (or ``reason(row)``), through ``backoffice.bulk_history``. Returns the rows moved."""
    model = rows.model
    locked = list(rows.select_for_update().order_by("pk"))
    fields = {state_field(model)}
    for row in locked:
        check_move(row, to)
        row_changes = changes(row)
        fields.update(row_changes)
        _set(row, to, row_changes)
        row.full_clean()
        row._change_reason = reason(row) if callable(reason) else reason
    if locked:
        update_with_history(model, locked, sorted(fields), by=by)
    return locked


__all__ = [
    "Transitions",
    "allows",
    "check_move",
    "lock",
    "move",
    "move_all",
    "move_locked",
    "lock_for_move",
    "save_audited",
    "state_field",
]
