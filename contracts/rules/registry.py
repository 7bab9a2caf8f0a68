"""Where the rules of the terms are registered and run.

Every rule is a function of one contract or option that raises ``ValidationError`` naming the
article. Model ``clean()`` runs them, so the admin forms, the lifecycle service and the import
all apply the same rules, from one place.
"""

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..choices import Status

ANY = "*"
_contract_rules: dict[str, list[Callable]] = defaultdict(list)
_option_rules: dict[str, list[Callable]] = defaultdict(list)
_end_consequences: dict[str, list[Callable]] = defaultdict(list)

CLOSED = (Status.TERMINATED, Status.WITHDRAWN)


def contract_rule(*services: str):
    """Register a rule that every contract of ``services`` (or ``ANY``) must satisfy while open."""

    def register(func):
        for code in services:
            _contract_rules[code].append(func)
        return func

    return register


def option_rule(*services: str):
    """Register a rule that every option of a contract of ``services`` must satisfy while open."""

    def register(func):
        for code in services:
            _option_rules[code].append(func)
        return func

    return register


def on_end(*services: str):
    """Register a check run before a contract of ``services`` ends; it may refuse or return follow-ups.

    The function takes ``(contract, on)`` and returns the contracts that must end with it.
    """

    def register(func):
        for code in services:
            _end_consequences[code].append(func)
        return func

    return register


def refuse(message, field: str | None = None, code: str = "rule"):
    """Raise the refusal of a rule, attached to ``field`` when one field is at fault."""
    raise ValidationError({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})


def _run(rules: list[Callable], obj) -> None:
    errors: dict = {}
    for rule in rules:
        try:
            rule(obj)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def check_contract(contract) -> None:
    if contract.status in CLOSED or not contract.service_id:
        return
    _run(_contract_rules[ANY] + _contract_rules[contract.service_id], contract)


def check_option(option) -> None:
    if option.status in CLOSED or not option.contract_id:
        return
    _run(_option_rules[ANY] + _option_rules[option.contract.service_id], option)


def contracts_ending_with(contract, on) -> list:
    """Contracts that end together with ``contract``; a rule may refuse the end instead."""
    follow = []
    for check in _end_consequences[ANY] + _end_consequences[contract.service_id]:
        follow.extend(check(contract, on))
    return follow
