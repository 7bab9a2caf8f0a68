"""Rules of Managed Router Service, SPEC §5.

Decisions kept here:
- The prerequisite of art. 1 is checked through the contract's own related contract (art. 4: one
  managed router per connectivity or data-center contract, docs/decisions.md), live on the day the
  contract is formed (``queries.formed_on``: its acceptance date, or its application date while it is
  only applied).
- Each option kind is live at most once per contract: a second cold standby or managed switch is a
  change of the existing option (art. 6 (2)), not a new one.
- What is a change of the contract under art. 6 ¶1, carrying 別紙1 3.(1)'s change fee, and what is the
  delivery we owe (art. 3): ``equipment_install_is_change``, ``option_added_as_change``,
  ``option_end_is_change`` (docs/decisions.md, "Managed Router").
"""

from datetime import date

from django.utils.translation import gettext as _

from backoffice.display import date_text
from customers.choices import RelatedKind

from ..choices import LegacyRouterType, ServiceCode, Status, TerminationReason
from ..models import Contract, ContractOption
from .hooks import contract_change_rule, contract_rule, option_rule, refuse, refuse_while_needed, related_end_guard
from .queries import formed_on

LL, XA, DC = "managed_router.ll", "managed_router.xa", "managed_router.dc"
COLD_STANDBY = "managed_router.cold_standby"

#: The related contract each item is for (art. 1): its kind, and whether it must serve an ISP business.
PREREQUISITE = {
    LL: (RelatedKind.CONNECTIVITY, False),
    XA: (RelatedKind.CONNECTIVITY, True),
    DC: (RelatedKind.DATA_CENTER, False),
}

#: How the pre-2005 contracts continue (附則 2005-05-01 ¶2–¶4): the item and the options they carry.
LEGACY = {
    LegacyRouterType.STANDARD: (LL, [COLD_STANDBY]),
    LegacyRouterType.SINGLE: (LL, []),
    LegacyRouterType.DC_STANDARD: (DC, []),
    LegacyRouterType.DC_SINGLE: (DC, []),
}


def legacy_mapping(legacy_type: str) -> tuple[str, list[str]]:
    """The item code and option kind codes a legacy router contract continues as (附則 2005-05-01 ¶2–¶4)."""
    item, options = LEGACY[LegacyRouterType(legacy_type)]
    return item, list(options)


@contract_rule(ServiceCode.MANAGED_ROUTER)
def for_a_connectivity_or_data_center_contract_of_the_customer(contract):
    """A managed router contract is made for one connectivity or data-center contract of the customer (art. 4)."""
    if not contract.related_contract_id:
        refuse(
            _(
                "A managed router contract names the customer's internet connectivity or data center "
                "contract it is for (Managed Router art. 4)."
            ),
            "related_contract",
        )
    if contract.customer_id and contract.related_contract.customer_id != contract.customer_id:
        refuse(_("The related contract must belong to the same customer (Managed Router art. 4)."), "related_contract")


#: The statuses in which a managed router contract holds its connectivity or data-center contract (art. 4);
#: one under cancellation leaves room for the contract that replaces it.
HOLDS_ITS_UNIT = (Status.APPLIED, Status.ACCEPTED, Status.ACTIVE)


@contract_rule(ServiceCode.MANAGED_ROUTER)
def one_router_contract_per_connectivity_or_data_center_contract(contract):
    """One managed router contract per connectivity or data-center contract (art. 4; decision in docs/decisions.md)."""
    if not contract.related_contract_id or contract.status not in HOLDS_ITS_UNIT:
        return
    other = (
        Contract.objects.of_service(ServiceCode.MANAGED_ROUTER)
        .filter(related_contract_id=contract.related_contract_id, status__in=HOLDS_ITS_UNIT)
        .exclude(pk=contract.pk)
        .values_list("number", flat=True)
        .first()
    )
    if other:
        refuse(
            _(
                "The managed router contract %(number)s is already made for this contract; one managed router "
                "contract is made per connectivity or data center contract (Managed Router art. 4)."
            )
            % {"number": other},
            "related_contract",
        )


@contract_rule(ServiceCode.MANAGED_ROUTER)
def item_matches_related_contract(contract):
    """LL needs internet connectivity, XA connectivity used for an ISP business, DC data center connection (art. 1)."""
    if not contract.related_contract_id or contract.item_id not in PREREQUISITE:
        return
    kind, isp_business = PREREQUISITE[contract.item_id]
    related = contract.related_contract
    if related.kind != kind or (isp_business and not related.isp_business):
        messages = {
            LL: _("Item LL is for customers of our internet connectivity service (Managed Router art. 1)."),
            XA: _(
                "Item XA is for customers of our internet connectivity service who use it for an ISP business "
                "(Managed Router art. 1)."
            ),
            DC: _("Item DC is for customers of IIJ Data Center Connection Service (Managed Router art. 1)."),
        }
        refuse(messages[contract.item_id], "related_contract")
    day = formed_on(contract)
    if day and not related.in_force_on(day):
        refuse(
            _("The related contract %(related)s is not in force on %(date)s (Managed Router art. 1).")
            % {"related": related, "date": date_text(day)},
            "related_contract",
        )


@contract_rule(ServiceCode.MANAGED_ROUTER)
def legacy_contract_keeps_its_item(contract):
    """A pre-2005 contract continues as the item the transitional provisions give it (附則 2005-05-01 ¶2–¶4)."""
    if contract.legacy_type and contract.item_id != LEGACY[contract.legacy_type][0]:
        refuse(
            _(
                "A “%(legacy)s” contract continues as item %(item)s "
                "(Managed Router supplementary provisions 2005-05-01)."
            )
            % {"legacy": LegacyRouterType(contract.legacy_type).label, "item": LEGACY[contract.legacy_type][0]},
            "item",
        )


@contract_change_rule(ServiceCode.MANAGED_ROUTER)
def item_never_changes(contract, old):
    """The item of a managed router contract cannot be changed (art. 6 ¶2)."""
    if "item_id" in old:
        refuse(_("The item of a managed router contract cannot be changed (Managed Router art. 6 ¶2)."), "item")


@option_rule(ServiceCode.MANAGED_ROUTER)
def cold_standby_only_for_ll(option):
    """Cold standby is offered for item LL only (art. 2)."""
    if option.kind_id == COLD_STANDBY and option.contract.item_id != LL:
        refuse(_("Cold standby is available only for item LL (Managed Router art. 2)."), "kind")


@option_rule(ServiceCode.MANAGED_ROUTER)
def each_option_once(option):
    """Each option kind is live at most once per contract; more of it is a change (art. 2, art. 6 (2))."""
    if not option.kind_id:
        return
    if option.contract.options.live().filter(kind_id=option.kind_id).exclude(pk=option.pk).exists():
        refuse(
            _("This contract already has the option %(option)s; change it instead (Managed Router art. 6).")
            % {"option": option.kind},
            "kind",
        )


def change_restarts_minimum_period(obj) -> bool:
    """Whether an accepted change of ``obj`` restarts its minimum period: a change of a managed router
    option restarts that option's 1-year period from the change (art. 5 ¶4).

    Equipment changes restart the contract's period through ``services.managed_router`` (art. 5 ¶3).
    """
    return isinstance(obj, ContractOption) and obj.contract.service_id == ServiceCode.MANAGED_ROUTER


def is_delivery(contract, on: date) -> bool:
    """Whether equipment installed on ``on`` is the delivery we owe (art. 3: the routers and everything lent
    with them, chosen by us), not a change: billing has not started before that day. Monthly fees and the
    1-year period start at billing (art. 5 ¶1, art. 11), so what is installed up to then is the contract as
    formed; a unit installed on the billing start day is part of it too."""
    return contract.billing_start_on is None or on <= contract.billing_start_on


def equipment_install_is_change(contract, on: date, *, had_equipment: bool, replacement: bool) -> bool:
    """Whether a unit installed on ``on`` on a managed router contract is an addition or change of equipment
    (ルータ等機器の追加又は変更, art. 6 ¶1 (1)): the change that carries 別紙1 3.(1)'s change fee and restarts
    the contract's 1-year period (art. 5 ¶3).

    Not a change: the delivery (``is_delivery``), every unit of the contract's first installation (the
    contract had no unit installed on an earlier day: ``had_equipment``), and the replacement we ship for a
    failure (art. 8 ¶2) or a loss or damage (art. 9 ¶1), which the customer did not request as a change.
    """
    return had_equipment and not replacement and not is_delivery(contract, on)


def option_added_as_change(option) -> bool:
    """Whether accepting ``option`` adds a paid option to its managed router contract under art. 6 ¶1 (2)
    (有料オプションの追加): the option was applied for after the contract was accepted (formed). One applied
    for with the contract, on or before the day the contract was accepted, is part of the contract as
    applied for, not a change of it."""
    contract = option.contract
    return (
        contract.service_id == ServiceCode.MANAGED_ROUTER
        and contract.accepted_on is not None
        and option.applied_on > contract.accepted_on
    )


def option_end_is_change(option, reason: str) -> bool:
    """Whether ending ``option`` for ``reason`` ends a paid option under art. 6 ¶1 (2) (有料オプションの終了):
    the customer's own stop (its notice). An option ending with its contract, or ended by us (general terms
    art. 28 ¶2, ¶3) or by an abolition, is no change requested by the customer."""
    return option.contract.service_id == ServiceCode.MANAGED_ROUTER and reason == TerminationReason.CUSTOMER_REQUEST


@related_end_guard(RelatedKind.CONNECTIVITY, RelatedKind.DATA_CENTER)
def contract_unit_outlives_its_router(related, on):
    """A connectivity or data center contract cannot end while the managed router contract made for it
    continues (art. 1, art. 4): the router contract is cancelled first (45 days' notice, art. 10)."""
    refuse_while_needed(
        related.contracts.of_service(ServiceCode.MANAGED_ROUTER).live(),
        _("A managed router contract is made for this contract (Managed Router art. 1, art. 4)."),
    )
