"""Check constraints that the database enforces and ``full_clean`` evaluates in Python.

Django validates a ``CheckConstraint`` with one query per constraint (``Q.check``), in a savepoint
when a transaction is open: a contract's ``full_clean`` ran dozens of queries. The conditions of
this project are simple lookups on the row's own columns, so ``Check`` evaluates them on the
instance, with SQL's rule that an unknown (NULL) result passes; a condition it cannot read falls
back to Django's query. Each ``Check`` names the field its message is shown on; ``%(field)s`` in
the message is that field's label.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP


class Unreadable(Exception):
    """A condition this module does not evaluate in Python."""


def _and(values):
    return False if False in values else (None if None in values else True)


def _or(values):
    return True if True in values else (None if None in values else False)


def _compare(op):
    def compare(left, right):
        if left is None or right is None:
            return None
        try:
            return op(left, right)
        except TypeError:
            raise Unreadable from None

    return compare


LOOKUPS = {
    "exact": _compare(lambda a, b: a == b),
    "gt": _compare(lambda a, b: a > b),
    "gte": _compare(lambda a, b: a >= b),
    "lt": _compare(lambda a, b: a < b),
    "lte": _compare(lambda a, b: a <= b),
    "in": lambda left, right: None if left is None else left in right,
    "isnull": lambda left, right: (left is None) == bool(right),
}


def _column(instance, name: str):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise Unreadable from None
    return getattr(instance, field.attname)


def _lookup(instance, key: str, value):
    *path, lookup = key.split(LOOKUP_SEP)
    if lookup not in LOOKUPS:
        path, lookup = [*path, lookup], "exact"
    if len(path) != 1:
        raise Unreadable  # a relation's column: only the database reads it
    if lookup == "exact" and value is None:
        lookup, value = "isnull", True  # as the ORM reads field=None
    if isinstance(value, F):
        value = _column(instance, value.name)
    elif hasattr(value, "resolve_expression"):
        raise Unreadable
    return LOOKUPS[lookup](_column(instance, path[0]), value)


def evaluate(condition, instance) -> bool | None:
    """True, False or None (unknown) for a ``Q`` of plain lookups on ``instance``'s columns."""
    if isinstance(condition, tuple):
        return _lookup(instance, *condition)
    if not isinstance(condition, Q) or condition.connector not in (Q.AND, Q.OR):
        raise Unreadable
    values = [evaluate(child, instance) for child in condition.children]
    result = _and(values) if condition.connector == Q.AND else _or(values)
    return (None if result is None else not result) if condition.negated else result


class Check(models.CheckConstraint):
    """A named check constraint whose message is shown on ``field`` (or for the whole row)."""

    def __init__(self, *, condition, name, field=None, violation_error_message=None, violation_error_code=None):
        super().__init__(
            condition=condition,
            name=name,
            violation_error_message=violation_error_message,
            violation_error_code=violation_error_code,
        )
        self.field = field

    def _message(self, label) -> str:
        return str(self.violation_error_message) % {"name": self.name, "field": label}

    def get_violation_error_message(self):
        """For Django's own callers, which know no model: the field is named by its attribute."""
        return self._message(self.field or "")

    def refusal(self, model) -> ValidationError:
        """The refusal of a row that breaks this constraint, on its field, named by its label."""
        label = model._meta.get_field(self.field).verbose_name if self.field else ""
        error = ValidationError(self._message(label), code=self.violation_error_code or "constraint")
        return ValidationError({self.field: error}) if self.field else error

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and self._expression_refs_exclude(model, self.condition, exclude):
            return
        try:
            passes = evaluate(self.condition, instance) is not False
        except Unreadable:
            try:
                super().validate(model, instance, exclude=exclude, using=using)
            except ValidationError:
                passes = False
            else:
                passes = True
        if not passes:
            raise self.refusal(model)

    def __eq__(self, other):
        if isinstance(other, Check):
            return super().__eq__(other) and self.field == other.field
        return super().__eq__(other)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        if self.field:
            kwargs["field"] = self.field
        return path, args, kwargs
