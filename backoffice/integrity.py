"""A refusal of the database, told in the words of the constraint that refused it.

Every named constraint carries a message naming the field and the article. ``full_clean`` shows it
before a save; when the database itself refuses a row (a concurrent change, a write that skipped
``full_clean``), the ``IntegrityError`` names the constraint and ``refusal_of`` finds its message.
A trigger names its refusal the same way (``RAISE … USING CONSTRAINT = name``; on SQLite, a
``RAISE(ABORT, 'name: …')``); its app registers the words (``backoffice.registry``, key
``database_refusals``, by the trigger's name). A unique column
(``unique=True``) has no name of ours: its refusal is told by its table and columns, in the words of
``full_clean``'s unique check.
"""

import re
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from .constraints import Check
from .registry import registry


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
    text = str(exc)  # a trigger's RAISE(ABORT, …) leads its message with the refusal's name
    names = [*_constraints(), *registry["database_refusals"]]
    return max((name for name in names if name in text), key=len, default=None)


def _unique_columns(exc: IntegrityError) -> tuple[str | None, list[str]]:
    """The table and columns of a unique refusal: psycopg tells them apart, SQLite writes them in its message."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:
        found = re.match(r"Key \((.+?)\)=", diag.message_detail or "")
        return diag.table_name, found[1].split(", ") if found else []
    found = re.search(r"UNIQUE constraint failed: (\S+(?:, \S+)*)", str(exc))
    pairs = [column.split(".", 1) for column in found[1].split(", ")] if found else []
    return (pairs[0][0] if pairs else None), [column for _table, column in pairs]


def _unique_refusal(exc: IntegrityError) -> ValidationError | None:
    """A unique column's refusal as ``full_clean`` words it; SQLite names no partial unique index, so a
    unique constraint is also found here by its columns."""
    table, columns = _unique_columns(exc)
    model = next((model for model in apps.get_models() if model._meta.db_table == table), None)
    if model is None or not columns:
        return None
    fields = [field for field in model._meta.concrete_fields if field.column in columns]
    if len(columns) == 1 and len(fields) == 1 and fields[0].unique:
        name = fields[0].name
        return ValidationError({name: model().unique_error_message(model, (name,))})
    uniques = [c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    for constraint in uniques:
        if [model._meta.get_field(name).column for name in constraint.fields] == columns:
            return ValidationError(constraint.get_violation_error_message())
    return None


def refusal_of(exc: IntegrityError) -> ValidationError:
    """The refusal ``exc`` stands for: its constraint's message (on the field), else the database's own words."""
    name = _constraint_name(exc)
    named = registry["database_refusals"]
    if name in named:
        return ValidationError(named[name], code="refused")
    found = _constraints().get(name)
    if found is None:
        unique = _unique_refusal(exc)
        if unique is not None:
            return unique
        return ValidationError(_("The database refused the change: %(error)s") % {"error": exc})
    model, constraint = found
    if isinstance(constraint, Check):
        return constraint.refusal(model)
    return ValidationError(constraint.get_violation_error_message())
