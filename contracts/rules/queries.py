"""What the rules read: prerequisites in force, the saved row a change starts from, lifecycle dates.

Read-only helpers. Within one check (``one_read_per_check``) the saved row of the checked
contract or option is read once, however many rules ask how it differs or which status it leaves.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db.models import Q

from customers.models import RelatedContract

from ..models import CONTRACT_TRACKED, OPTION_TRACKED, Contract

_saved_rows: ContextVar[dict | None] = ContextVar("saved_rows", default=None)


@contextmanager
def one_read_per_check() -> Iterator[None]:
    """Remember each saved row read inside the block; a check writes nothing, so it stays true."""
    token = _saved_rows.set({})
    try:
        yield
    finally:
        _saved_rows.reset(token)


#: Where a lifecycle move keeps, on the row it locked, that row's saved values (``read_with_lock``).
_LOCKED_AS = "_saved_row_as_locked"


def _read(obj) -> tuple[str, ...]:
    return ("status", *(CONTRACT_TRACKED if isinstance(obj, Contract) else OPTION_TRACKED))


def read_with_lock(row) -> None:
    """``row`` holds its saved row: just read with its lock, or a copy of an object a trusted caller inserted.

    Until ``forget_lock_read``, the rules take the saved values from what ``row`` held now instead of
    reading them again (one query less a lifecycle move); nothing else writes a locked row meanwhile.
    """
    setattr(row, _LOCKED_AS, {name: getattr(row, name) for name in _read(row)})


def forget_lock_read(row) -> None:
    """The move that locked ``row`` has saved it: its saved values are read from the database again."""
    row.__dict__.pop(_LOCKED_AS, None)


def _saved_row(obj) -> dict:
    """The saved status and tracked attributes of ``obj`` (``{}`` for a new row)."""
    if obj.pk is None:
        return {}
    if _LOCKED_AS in obj.__dict__:
        return obj.__dict__[_LOCKED_AS]
    cache = _saved_rows.get()
    key = (type(obj), obj.pk)
    if cache is not None and key in cache:
        return cache[key]
    row = type(obj)._base_manager.filter(pk=obj.pk).values(*_read(obj)).first() or {}
    if cache is not None:
        cache[key] = row
    return row


def saved_differences(obj, tracked: tuple[str, ...]) -> dict:
    """The ``tracked`` attributes of ``obj`` that differ from its saved row, with their saved values."""
    saved = _saved_row(obj)
    return {name: saved[name] for name in tracked if name in saved and getattr(obj, name) != saved[name]}


def enters_status(obj, status: str) -> bool:
    """Whether saved ``obj`` is moving into ``status`` now (its saved row is in another status).

    A new row is created, not moved: an import may create it in any status, and only then can the
    options and children that a move into that status requires be attached to it.
    """
    if obj.pk is None or obj.status != status:
        return False
    return _saved_row(obj).get("status") != status


def holds_related(customer_id, kind: str, day, **filters) -> bool:
    """Whether the customer holds a related contract of ``kind`` (matching ``filters``) in force on ``day``."""
    return RelatedContract.objects.live_on(day).filter(customer_id=customer_id, kind=kind, **filters).exists()


def keeps_another(related, on, **filters) -> bool:
    """Whether the customer of ``related`` holds another related contract of its kind (matching
    ``filters``) that is still in force after ``on``."""
    return (
        RelatedContract.objects.filter(customer_id=related.customer_id, kind=related.kind, **filters)
        .exclude(pk=related.pk)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .exists()
    )


def formed_on(obj) -> date | None:
    """The day a prerequisite related contract must be in force for ``obj``: its acceptance date, or its
    application date while it is still an application. It never moves afterwards, so a later notice or
    change is not refused for a related contract that ended since (ends are handled by the end guards).
    """
    return obj.accepted_on or obj.applied_on


def abolished_by(obj, day) -> bool:
    """Whether the provider abolished ``obj``'s service, item or option kind by ``day``.

    The abolition service marks the catalog before it ends the rows it hits; a rule that keeps a
    customer's set of contracts or options consistent must not hold back the provider's abolition.
    """
    entry = obj.catalog_entry()
    return any(ended and ended <= day for ended in (entry.abolished_on, entry.service.abolished_on))


def lives_after(obj, day) -> bool:
    """Whether ``obj`` is live and not already due to end on or before ``day`` (a pending cancellation)."""
    return obj.is_live and not (obj.effective_end_on and obj.effective_end_on <= day)
