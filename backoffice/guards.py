"""Checks run from a model's ``clean()`` that live outside its module, mostly those one app puts on rows another
app owns.

A customer or a related contract belongs to ``customers``, but only contracts knows that a live
ISP Platform contract needs a corporate customer, or that a Smart HUB needs its Private Backbone
contract. Contracts registers such guards in ``ready()`` (``backoffice.registry``, key ``guards``,
``to=`` the model); ``Customer.clean()`` and
``RelatedContract.clean()`` run them, so the admin (inlines included), the import and the services
refuse the same edits without customers importing contracts. Contracts' own rules reach its models the same way,
so the models never import the rules that read them.
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


def refuse_by_guards(obj) -> None:
    """What a model's ``clean()`` calls: raise the refusals of every guard added for ``obj``'s model, together."""
    errors = run_guards(obj)
    if errors:
        raise ValidationError(errors)


__all__ = ["refuse_by_guards", "run_guards"]
