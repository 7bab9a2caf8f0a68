"""Checks that one app puts on rows another app owns, run from the owner's ``clean()``.

A customer or a related contract belongs to ``customers``, but only contracts knows that a live
ISP Platform contract needs a corporate customer, or that a Smart HUB needs its Private Backbone
contract. Contracts registers such guards in ``ready()`` (``backoffice.registry``, key ``guards``,
``to=`` the model); ``Customer.clean()`` and
``RelatedContract.clean()`` run them, so the admin (inlines included), the import and the services
refuse the same edits without customers importing contracts.
"""

from django.core.exceptions import ValidationError

from .registry import registry


def run_guards(obj, errors: dict | None = None) -> dict:
    """Every guard added for ``obj``'s model (``check(obj)`` raises ``ValidationError`` to refuse); returns
    ``errors`` updated with their refusals."""
    errors = {} if errors is None else errors
    for check in registry.added_to("guards", obj):
        try:
            check(obj)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    return errors


__all__ = ["run_guards"]
