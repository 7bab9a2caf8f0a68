"""Checks that one app puts on rows another app owns, run from the owner's ``clean()``.

A customer or a related contract belongs to ``customers``, but only contracts knows that a live
ISP Platform contract needs a corporate customer, or that a Smart HUB needs its Private Backbone
contract. Contracts adds such guards in ``ready()``; ``Customer.clean()`` and
``RelatedContract.clean()`` run them, so the admin (inlines included), the import and the services
refuse the same edits without customers importing contracts.
"""

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError

_GUARDS: dict[str, list[Callable]] = defaultdict(list)


def add_guard(model, check: Callable) -> None:
    """Run ``check(obj)`` whenever an object of ``model`` is cleaned; it raises ``ValidationError`` to refuse."""
    checks = _GUARDS[model._meta.label_lower]
    if check not in checks:
        checks.append(check)


def run_guards(obj, errors: dict | None = None) -> dict:
    """Every guard added for ``obj``'s model; returns ``errors`` updated with their refusals."""
    errors = {} if errors is None else errors
    for check in _GUARDS[obj._meta.label_lower]:
        try:
            check(obj)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    return errors


__all__ = ["add_guard", "run_guards"]
