"""Executing the abolition of a service, an item or an option kind (サービスの廃止).

CXM2 art. 9, Cloud Proxy art. 11 and ISP Platform art. 8 let the provider abolish a service when
the upstream service ends. Executing an ``Abolition`` closes the catalog row to new applications and
ends every live contract or option it hits on its effective date, with reason ``abolition`` (no
early-termination settlement, ``choices.SETTLEMENT_WAIVED``). Rows ended by it carry it, so the
customers to notify can be listed again at any time.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.moves import lock
from customers.models import Customer

from ..choices import Status, TerminationReason
from ..models import Abolition, Contract, ContractOption
from .dates import refuse_future
from .lifecycle import terminate


@dataclass
class Affected:
    """The live contracts and options an abolition hits; options of hit contracts end with them."""

    contracts: QuerySet
    options: QuerySet

    def customers(self) -> QuerySet:
        return Customer.objects.filter(
            Q(pk__in=self.contracts.values("customer_id")) | Q(pk__in=self.options.values("contract__customer_id"))
        ).order_by("code")


def check_target(abolition: Abolition) -> None:
    """The abolished item or option kind must belong to the abolished service."""
    if abolition.item_id and abolition.item.service_id != abolition.service_id:
        raise ValidationError({"item": _("The item must be an item of the abolished service.")})
    if abolition.option_kind_id and abolition.option_kind.service_id != abolition.service_id:
        raise ValidationError({"option_kind": _("The option must be an option of the abolished service.")})


def affected(abolition: Abolition) -> Affected:
    """The live contracts (whole service or one item) or live options (one option kind) the abolition ends."""
    contracts = Contract.objects.live().select_related("customer", "item").order_by("customer__code", "number")
    options = ContractOption.objects.live().select_related("contract__customer", "kind").order_by("contract__number")
    if abolition.option_kind_id:
        return Affected(contracts.none(), options.filter(kind_id=abolition.option_kind_id))
    if abolition.item_id:
        return Affected(contracts.filter(item_id=abolition.item_id), options.none())
    return Affected(contracts.filter(service_id=abolition.service_id), options.none())


def notified_customers(abolition: Abolition) -> QuerySet:
    """The customers whose contracts or options this executed abolition ended."""
    return (
        Customer.objects.filter(Q(contracts__abolition=abolition) | Q(contracts__options__abolition=abolition))
        .distinct()
        .order_by("code")
    )


def _catalog_row(abolition: Abolition):
    target = abolition.option_kind or abolition.item or abolition.service
    return lock(target)


def _end_order(contract: Contract) -> tuple:
    """Parents before children (children end with them, keeping the reason); standbys before their
    active partner, so that they end for the abolition rather than in cascade."""
    return (contract.parent_id is not None, contract.standby_of_id is None, contract.pk)


def _tree(contract: Contract) -> list[Contract]:
    """The contract and its live descendants: ``terminate`` ends them all with the same reason."""
    rows = [contract]
    for child in Contract.objects.live().filter(parent=contract):
        rows.extend(_tree(child))
    return rows


def _mark(row, abolition: Abolition, by) -> None:
    row.abolition = abolition
    row._history_user = by
    row._change_reason = _("Ended by the abolition of %(target)s") % {"target": abolition}
    row.save(update_fields=["abolition"])


@transaction.atomic
def abolish(abolition: Abolition, *, by=None) -> list[Customer]:
    """Execute ``abolition``: close its catalog row, end what it hits on its date; returns the customers to notify.

    Runs once: a second run is refused, and nothing changes. It runs on or after its date: until then the
    contracts stay in service and ``affected`` lists the customers to notify.
    """
    abolition = lock(abolition)
    if abolition.executed_at:
        raise ValidationError(
            _("This abolition was already executed on %(when)s.") % {"when": date_text(abolition.executed_at)}
        )
    check_target(abolition)
    on = abolition.effective_on
    refuse_future(on, _("The abolition"))
    catalog_row = _catalog_row(abolition)
    catalog_row.abolished_on = on
    catalog_row._history_user = by
    catalog_row.save()

    hit = affected(abolition)
    note = _("Abolished: %(target)s") % {"target": abolition}
    ended = []
    for contract in sorted(hit.contracts.select_for_update(of=("self",)), key=_end_order):
        if not lock(contract).is_live:  # already ended with its parent or partner in this run
            continue
        tree = _tree(contract)
        options = list(ContractOption.objects.live().filter(contract__in=tree))
        terminate(contract, on=on, reason=TerminationReason.ABOLITION, by=by, note=note)
        ended.extend(tree + options)
    for option in hit.options.select_for_update(of=("self",)):
        terminate(option, on=on, reason=TerminationReason.ABOLITION, by=by, note=note)
        ended.append(option)
    for row in ended:
        row.refresh_from_db()
        if row.status == Status.TERMINATED:
            _mark(row, abolition, by)

    abolition.executed_at = timezone.now()
    abolition._history_user = by
    abolition.save()
    return list(notified_customers(abolition))


__all__ = ["Affected", "abolish", "affected", "check_target", "notified_customers"]
