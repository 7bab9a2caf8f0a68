"""The hooks the rules register on, and how a rule refuses.

Every hook here is a guard: its rules read, and refuse with a ``ValidationError`` naming the
article, or return nothing. What ends together with a row is not a guard's business: see
``cascades``. The rules must not write either; what follows from the entered fields is filled in
by the model (``Contract.clean``).
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from backoffice.exceptions import RuleRefusal
from backoffice.registry import registry

if TYPE_CHECKING:
    from customers.models import RelatedContract

    from ..models import Contract, ContractOption

#: The key of rules that apply to every service.
ANY = "*"

#: The saved values of the tracked attributes a change alters (``CONTRACT_TRACKED`` / ``OPTION_TRACKED`` names).
Old = Mapping[str, Any]

ContractRule = Callable[["Contract"], None]
OptionRule = Callable[["ContractOption"], None]
ContractChangeRule = Callable[["Contract", Old], None]
OptionChangeRule = Callable[["ContractOption", Old], None]
ContractEndGuard = Callable[["Contract", date], None]
OptionEndGuard = Callable[["ContractOption", date], None]
RelatedEndGuard = Callable[["RelatedContract", date], None]


class Hook[Rule: Callable[..., None]]:
    """The rules of one kind, listed per service code (or related-contract kind, or ``ANY``).

    Used as a decorator: ``@contract_rule(ServiceCode.CXM2)`` registers the function under that key, in the
    registry's ``contract_rules`` (``to=(hook name, key)``).
    """

    def __init__(self, name: str, doc: str):
        self.name, self.__doc__ = name, doc

    def __call__(self, *keys: str) -> Callable[[Rule], Rule]:
        def register(rule: Rule) -> Rule:
            for key in keys:
                registry.register("contract_rules", rule, to=(self.name, key))
            return rule

        return register

    def rules_for(self, key: str) -> list[Rule]:
        return registry.added_to("contract_rules", (self.name, ANY)) + registry.added_to(
            "contract_rules", (self.name, key)
        )


contract_rule: Hook[ContractRule] = Hook("contract_rule", "What every open contract of the service satisfies.")
option_rule: Hook[OptionRule] = Hook("option_rule", "What every open option of a contract of the service satisfies.")
contract_change_rule: Hook[ContractChangeRule] = Hook(
    "contract_change_rule",
    "What a change of a saved contract satisfies, given the saved values of the changed attributes.",
)
option_change_rule: Hook[OptionChangeRule] = Hook(
    "option_change_rule", "What a change of a saved option satisfies, as for contracts."
)
contract_end_guard: Hook[ContractEndGuard] = Hook(
    "contract_end_guard",
    "Whether a contract of the service may end on the day: run when its notice is registered and when it ends.",
)
option_end_guard: Hook[OptionEndGuard] = Hook(
    "option_end_guard",
    "Whether an option of the service may stop on the day: run when its stop notice is registered (its "
    "effective end) and when it ends.",
)
related_end_guard: Hook[RelatedEndGuard] = Hook(
    "related_end_guard",
    "Whether a related contract (関連契約) of the kind may end on the day while our contracts need it.",
)


def refuse(message, field: str | None = None, code: str = "rule"):
    """Raise the refusal of a rule, attached to ``field`` when one field is at fault."""
    raise RuleRefusal({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})


def refuse_while_needed(dependents, message) -> None:
    """Refuse a related contract's end while ``dependents`` (live contracts or options) need it."""
    numbers = sorted({str(getattr(row, "number", None) or row.contract.number) for row in dependents})
    if numbers:
        refuse(_("%(rule)s Still needed by: %(numbers)s.") % {"rule": message, "numbers": ", ".join(numbers)})
