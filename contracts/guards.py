"""What contracts needs of rows it does not own: the customer and its related contracts (関連契約).

Added in ``ContractsConfig.ready()`` to ``backoffice.guards`` and run from ``Customer.clean()`` and
``RelatedContract.clean()``, so an admin form, an inline, the import and the services refuse the
same edits. The checks reuse the rules (``contracts.rules``) rather than restating them.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.exceptions import RuleRefusal
from customers.choices import CustomerStatus
from customers.models import Customer, RelatedContract

from .choices import OPEN_STATUSES, ServiceCode
from .rules import check_contract, related_end_followers

#: What a related contract's dependents rely on; fixed while any contract needs it.
FIXED_WHILE_NEEDED = ("customer", "kind", "started_on", "closed_network", "firewall_item", "isp_business")
#: The articles that bind a contract to the related contract it names (``Contract.related_contract``).
BOUND_BY = {
    ServiceCode.SMART_HUB: gettext_lazy("Smart HUB arts. 2, 3, 6 ¶2"),
    ServiceCode.MANAGED_ROUTER: gettext_lazy("Managed Router arts. 1, 4"),
}


def customer_keeps_what_its_contracts_need(customer: Customer) -> None:
    """A customer is not closed while it holds open contracts, and its type (or its recognition as equivalent to a
    corporation) changes only as far as the rules of its open contracts still hold (ISP Platform art. 4:
    corporate customers, and those recognised as equivalent, only)."""
    saved = Customer._base_manager.filter(pk=customer.pk).values("kind", "status", "corporate_equivalent").first()
    if saved is None:
        return
    open_contracts = customer.contracts.filter(status__in=OPEN_STATUSES).order_by("number")
    if customer.status == CustomerStatus.CLOSED != saved["status"]:
        numbers = list(open_contracts.values_list("number", flat=True))
        if numbers:
            raise RuleRefusal(
                {
                    "status": _(
                        "A customer is closed only once its last contract has ended or was withdrawn "
                        "(back-office rule: closing a customer). Still open: %(numbers)s."
                    )
                    % {"numbers": ", ".join(numbers)}
                }
            )
    if (customer.kind, customer.corporate_equivalent) != (saved["kind"], saved["corporate_equivalent"]):
        refusals = []
        for contract in open_contracts.select_related("service", "item"):
            contract.customer = customer
            try:
                check_contract(contract)
            except ValidationError as exc:
                refusals.extend(f"{contract.number}: {message}" for message in exc.messages)
        if refusals:
            raise RuleRefusal({"kind": refusals})


def related_contract_fixed_while_needed(related: RelatedContract) -> None:
    """What our contracts rely on in a related contract (its customer, kind, formation date, closed network,
    firewall item, ISP use) does not change while one needs it: staff end it with the action, which applies
    the terms (Cloud Proxy art. 6 ¶2, Smart HUB art. 6 ¶2, …), and register the new one."""
    if related.pk is None:
        return
    saved = RelatedContract._base_manager.get(pk=related.pk)
    changed = [name for name in FIXED_WHILE_NEEDED if _value(saved, name) != _value(related, name)]
    if not changed:
        return
    needs = _needs(saved)
    if needs:
        fields = ", ".join(str(capfirst(RelatedContract._meta.get_field(name).verbose_name)) for name in changed)
        headline = _(
            "%(fields)s cannot change while our contracts need this related contract; end it with the "
            "“End related contract” action and register the new one."
        ) % {"fields": fields}
        raise RuleRefusal({NON_FIELD_ERRORS: [headline, *needs]})


def _value(row, name: str):
    return getattr(row, RelatedContract._meta.get_field(name).attname)


def _needs(related: RelatedContract) -> list[str]:
    """Why our contracts need ``related`` today: the refusal its end would meet, or the contracts bound to it."""
    try:
        followers = related_end_followers(related, timezone.localdate())
    except ValidationError as exc:
        return exc.messages
    bound = related.contracts.filter(status__in=OPEN_STATUSES)
    dependents = {contract.pk: contract for contract in [*followers, *bound]}
    by_service: dict[str, list[str]] = {}
    for contract in sorted(dependents.values(), key=lambda c: c.number):
        by_service.setdefault(contract.service_id, []).append(contract.number)
    return [
        _("%(numbers)s depend on it (%(article)s).")
        % {"numbers": ", ".join(numbers), "article": BOUND_BY.get(service, service)}
        for service, numbers in by_service.items()
    ]


__all__ = ["customer_keeps_what_its_contracts_need", "related_contract_fixed_while_needed"]
