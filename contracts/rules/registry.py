"""Where the rules of the terms are registered and run.

Every rule is a function of one contract or option that raises ``ValidationError`` naming the
article. Model ``clean()`` runs them, so the admin forms, the lifecycle service and the import
all apply the same rules, from one place.
"""

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from customers.models import RelatedContract

from ..choices import Status
from ..models.option import OPTION_ATTRIBUTES

ANY = "*"

#: Attributes whose change is a change of contract (契約内容の変更), checked by the change rules.
CONTRACT_TRACKED = (
    "customer_id",
    "service_id",
    "item_id",
    "parent_id",
    "related_contract_id",
    "application_type",
    "route",
    "standby_of_id",
    "region",
    "management_unit",
    "closed_network",
    "building_type",
    "line_count",
)
OPTION_TRACKED = ("contract_id", "kind_id", *OPTION_ATTRIBUTES)

CLOSED = (Status.TERMINATED, Status.WITHDRAWN)


class Hook:
    """A named list of rule functions per service code (or related-contract kind, or ``ANY``).

    Used as a decorator: ``@contract_rule(ServiceCode.CXM2)`` registers the function under that key.
    """

    def __init__(self, doc: str):
        self.__doc__ = doc
        self._by_key: dict[str, list[Callable]] = defaultdict(list)

    def __call__(self, *keys: str):
        def register(func):
            for key in keys:
                self._by_key[key].append(func)
            return func

        return register

    def rules_for(self, key: str) -> list[Callable]:
        return self._by_key[ANY] + self._by_key[key]


contract_rule = Hook("A rule every contract of the service must satisfy while open: ``func(contract)``.")
option_rule = Hook("A rule every option of a contract of the service must satisfy while open: ``func(option)``.")
on_end = Hook(
    "Run before a contract of the service ends: ``func(contract, on)`` may refuse, and returns the contracts "
    "that must end with it."
)
on_option_end = Hook(
    "Run before an option of the service stops: ``func(option, on)`` may refuse. The lifecycle service runs it "
    "when the stop notice is registered (``on`` = its effective end) and when the option ends."
)
contract_change_rule = Hook(
    "A rule on changing a saved contract: ``func(contract, old)``, ``old`` mapping each changed attribute "
    "(``CONTRACT_TRACKED`` names) to its saved value."
)
option_change_rule = Hook("A rule on changing a saved option: ``func(option, old)``, as for contracts.")
restarts_minimum_period = Hook(
    "``func(obj, old) -> bool``: whether an accepted change restarts ``obj``'s minimum period."
)
on_related_end = Hook(
    "Run before a related contract (関連契約) of the kind ends: ``func(related, on)`` refuses while something "
    "still needs it, or returns the contracts that end with it (Smart HUB art. 6 ¶2)."
)


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


def refuse_while_needed(dependents, message) -> None:
    """Refuse a related contract's end while ``dependents`` (live contracts or options) need it."""
    numbers = sorted({str(getattr(row, "number", None) or row.contract.number) for row in dependents})
    if numbers:
        refuse(_("%(rule)s Still needed by: %(numbers)s.") % {"rule": message, "numbers": ", ".join(numbers)})


def contracts_ending_with_related(related, on) -> list:
    follow = []
    for check in on_related_end.rules_for(related.kind):
        follow.extend(check(related, on))
    return follow


def refuse(message, field: str | None = None, code: str = "rule"):
    """Raise the refusal of a rule, attached to ``field`` when one field is at fault."""
    raise ValidationError({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})


def _errors(rules: list[Callable], obj, errors: dict) -> dict:
    for rule in rules:
        try:
            rule(obj)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    return errors


def _run(rules: list[Callable], obj) -> None:
    errors = _errors(rules, obj, {})
    if errors:
        raise ValidationError(errors)


def saved_differences(obj, tracked: tuple[str, ...]) -> dict:
    """The tracked attributes of ``obj`` that differ from its saved row, with their saved values."""
    if obj.pk is None:
        return {}
    saved = type(obj)._base_manager.filter(pk=obj.pk).values(*tracked).first() or {}
    return {name: value for name, value in saved.items() if getattr(obj, name) != value}


def _check(obj, rules: list[Callable], change_rules: list[Callable], tracked: tuple[str, ...]) -> None:
    """Run the rules on ``obj`` and, when it differs from its saved row, the change rules; report all refusals,
    so a forbidden change names its own article (e.g. Managed Router art. 6 ¶2) beside any other rule it breaks."""
    errors = _errors(rules, obj, {})
    old = saved_differences(obj, tracked)
    if old:
        errors = _errors([lambda o, rule=rule: rule(o, old) for rule in change_rules], obj, errors)
    if errors:
        raise ValidationError(errors)


def check_contract(contract) -> None:
    """Every rule that applies to ``contract`` as it stands, and to its change from the saved row."""
    if contract.status in CLOSED or not contract.service_id:
        return
    service = contract.service_id
    _check(contract, contract_rule.rules_for(service), contract_change_rule.rules_for(service), CONTRACT_TRACKED)


def check_option(option) -> None:
    """Every rule that applies to ``option`` as it stands, and to its change from the saved row."""
    if option.status in CLOSED or not option.contract_id:
        return
    service = option.contract.service_id
    _check(option, option_rule.rules_for(service), option_change_rule.rules_for(service), OPTION_TRACKED)


def check_option_end(option, on) -> None:
    """Every rule that may refuse ``option`` stopping on ``on`` (a contract's own end never asks,
    nor does an abolition)."""
    if abolished_by(option, on):
        return
    service = option.contract.service_id
    _run([lambda o, rule=rule: rule(o, on) for rule in on_option_end.rules_for(service)], option)


def enters_status(obj, status: str) -> bool:
    """Whether saved ``obj`` is moving into ``status`` now (its saved row is in another status).

    A new row is created, not moved: an import may create it in any status, and only then can the
    options and children that a move into that status requires be attached to it.
    """
    if obj.pk is None or obj.status != status:
        return False
    return type(obj)._base_manager.filter(pk=obj.pk).values_list("status", flat=True).first() != status


def formed_on(obj):
    """The day a prerequisite related contract must be in force for ``obj``: its acceptance date, or its
    application date while it is still an application. It never moves afterwards, so a later notice or
    change is not refused for a related contract that ended since (ends are handled by ``on_related_end``).
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


def change_restarts_minimum_period(obj, service: str, old: dict) -> bool:
    return any(rule(obj, old) for rule in restarts_minimum_period.rules_for(service))


def contracts_ending_with(contract, on) -> list:
    """Contracts that end together with ``contract``; a rule may refuse the end instead."""
    follow = []
    for check in on_end.rules_for(contract.service_id):
        follow.extend(check(contract, on))
    return follow
