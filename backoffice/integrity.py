"""A refusal of the database, told in the words of the constraint that refused it.

Every named constraint carries a message naming the field and the article. ``full_clean`` shows it
before a save; when the database itself refuses a row (a concurrent change, a write that skipped
``full_clean``), the ``IntegrityError`` names the constraint and ``refusal_of`` finds its message.
A trigger names its refusal the same way (``RAISE … USING CONSTRAINT = name``); its app tells the
words with ``name_refusals``.
"""

from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from .constraints import Check

_named: dict[str, str] = {}


def name_refusals(messages: dict[str, str]) -> None:
    """Tell the database's refusals named in ``messages`` (a trigger's name → its message)."""
    _named.update(messages)


@cache
def _constraints() -> dict[str, tuple]:
    """Constraint name → (model, constraint), over every installed model."""
    return {
        constraint.name: (model, constraint) for model in apps.get_models() for constraint in model._meta.constraints
    }


def _constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)  # psycopg names it; SQLite only writes it in the message
    if diag is not None and diag.constraint_name:
        return diag.constraint_name
    text = str(exc)
    return max((name for name in _constraints() if name in text), key=len, default=None)


def refusal_of(exc: IntegrityError) -> ValidationError:
    """The refusal ``exc`` stands for: its constraint's message (on the field), else the database's own words."""
    name = _constraint_name(exc)
    if name in _named:
        return ValidationError(_named[name], code="refused")
    found = _constraints().get(name)
    if found is None:
        return ValidationError(_("The database refused the change: %(error)s") % {"error": exc})
    model, constraint = found
    if isinstance(constraint, Check):
        return constraint.refusal(model)
    return ValidationError(constraint.get_violation_error_message())
