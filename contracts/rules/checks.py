"""Running the rules: what ``Model.clean()`` and the services call.

Every guard of a row runs and all refusals are reported together, so a forbidden change names its
own article (e.g. Managed Router art. 6 ¶2) beside any other rule it breaks.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError

from customers.models import RelatedContract

from ..choices import Status
from ..models import CONTRACT_TRACKED, OPTION_TRACKED, Contract, ContractOption
from .cascades import cascade_of_contract_end, cascade_of_related_end
from .hooks import (
    contract_change_rule,
    contract_end_guard,
    contract_rule,
    option_change_rule,
    option_end_guard,
    option_rule,
    related_end_guard,
)
from .queries import abolished_by, one_read_per_check, saved_differences

CLOSED = (Status.TERMINATED, Status.WITHDRAWN)


def _run(guards: list[Callable[..., None]], *args) -> None:
    """Run every guard on ``args``; raise all their refusals at once."""
    errors: dict = {}
    for guard in guards:
        try:
            guard(*args)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _check(obj, rules: list, change_rules: list, tracked: tuple[str, ...]) -> None:
    """Run the rules on ``obj`` and, when it differs from its saved row, the change rules."""
    with one_read_per_check():
        old = saved_differences(obj, tracked)
        bound_change_rules = [lambda o, rule=rule: rule(o, old) for rule in change_rules] if old else []
        _run([*rules, *bound_change_rules], obj)


def check_contract(contract: Contract) -> None:
    """Every rule that applies to ``contract`` as it stands, and to its change from the saved row."""
    if contract.status in CLOSED or not contract.service_id:
        return
    service = contract.service_id
    _check(contract, contract_rule.rules_for(service), contract_change_rule.rules_for(service), CONTRACT_TRACKED)


def check_option(option: ContractOption) -> None:
    """Every rule that applies to ``option`` as it stands, and to its change from the saved row."""
    if option.status in CLOSED or not option.contract_id:
        return
    service = option.contract.service_id
    _check(option, option_rule.rules_for(service), option_change_rule.rules_for(service), OPTION_TRACKED)


def check_contract_end(contract: Contract, on: date) -> None:
    """Every guard that may refuse ``contract`` ending on ``on``."""
    _run(contract_end_guard.rules_for(contract.service_id), contract, on)


def check_option_end(option: ContractOption, on: date) -> None:
    """Every guard that may refuse ``option`` stopping on ``on`` (a contract's own end never asks,
    nor does an abolition)."""
    if not abolished_by(option, on):
        _run(option_end_guard.rules_for(option.contract.service_id), option, on)


def contract_end_followers(contract: Contract, on: date) -> list[Contract]:
    """Refuse ``contract`` ending on ``on`` when a guard does; else the contracts that end with it."""
    check_contract_end(contract, on)
    return cascade_of_contract_end(contract, on)


def related_end_followers(related: RelatedContract, on: date) -> list[Contract]:
    """Refuse ``related`` ending on ``on`` while our contracts need it; else the contracts that end with it."""
    _run(related_end_guard.rules_for(related.kind), related, on)
    return cascade_of_related_end(related, on)
