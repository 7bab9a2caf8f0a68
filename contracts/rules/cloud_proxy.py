"""Rules of Cloud Proxy Service, SPEC §3.

Prerequisites count only live contracts (``LIVE_STATUSES``); a related contract counts when in
force on the day the contract or option is formed (``queries.formed_on``).
The legacy template item "G Suite" is mapped to Google Workspace by the importer (附則 2021-06-01).
"""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.choices import RelatedKind

from ..choices import ItemRole, ServiceCode, Status
from ..models import Contract, ContractOption, Item
from .hooks import (
    contract_change_rule,
    contract_end_guard,
    contract_rule,
    option_rule,
    refuse,
    refuse_while_needed,
    related_end_guard,
)
from .queries import abolished_by, enters_status, formed_on, holds_related, keeps_another, lives_after

CHILD_ROLES = (ItemRole.TEMPLATE, ItemRole.BYPASS, ItemRole.EXTERNAL)
#: Art. 6 ¶1: every parent holds one child of each of these groups of kinds.
REQUIRED_CHILDREN = (
    ((ItemRole.TEMPLATE,), gettext_lazy("a destination list template child")),
    ((ItemRole.BYPASS, ItemRole.EXTERNAL), gettext_lazy("a cloud bypass or external cloud proxy integration child")),
)
INTERNET_ACCESS = "cloud_proxy.internet_access"
INITIAL_SETUP = "cloud_proxy.initial_setup"
#: Art. 6 ¶3: only Internet Access contracts formed on or after this day qualify.
INTERNET_ACCESS_FORMED_FROM = date(2020, 5, 1)


def _role(contract):
    return contract.item.role if contract.item_id else None


@contract_rule(ServiceCode.CLOUD_PROXY)
def child_under_own_parent(contract):
    """A child contract belongs to a parent contract of the same customer (art. 1)."""
    parent = contract.parent
    if parent is None or _role(contract) not in CHILD_ROLES:
        return
    if parent.service_id != ServiceCode.CLOUD_PROXY or _role(parent) != ItemRole.PARENT:
        refuse(_("The parent must be a Cloud Proxy parent contract (Cloud Proxy art. 1)."), "parent")
    if parent.customer_id != contract.customer_id:
        refuse(_("The parent contract must be of the same customer (Cloud Proxy art. 1)."), "parent")


@contract_rule(ServiceCode.CLOUD_PROXY)
def parent_holds_required_children(contract):
    """When a parent is accepted it holds a live template child and a live bypass or external child (art. 6 ¶1).

    Checked on acceptance only: afterwards the end rule below keeps the children in place, and a
    parent left short by a cascade or an abolition must still be cancellable.
    """
    if _role(contract) != ItemRole.PARENT or not enters_status(contract, Status.ACCEPTED):
        return
    held = set(contract.children.live().values_list("item__role", flat=True))
    for roles, label in REQUIRED_CHILDREN:
        if held.isdisjoint(roles):
            refuse(
                _("A parent contract can be accepted only while it holds %(child)s (Cloud Proxy art. 6 ¶1).")
                % {"child": label}
            )


#: The statuses in which a parent holds its management unit (art. 1); one under cancellation leaves room
#: for the parent that replaces it.
HOLDS_ITS_UNIT = (Status.APPLIED, Status.ACCEPTED, Status.ACTIVE)


@contract_rule(ServiceCode.CLOUD_PROXY)
def one_parent_per_management_unit(contract):
    """A parent contract is made per management unit the customer names (art. 1): it names the unit, and no
    other open parent of the customer names the same one."""
    if _role(contract) != ItemRole.PARENT:
        return
    unit = (contract.management_unit or "").strip()
    if not unit:
        refuse(_("A parent contract names its management unit (Cloud Proxy art. 1)."), "management_unit")
    if contract.status not in HOLDS_ITS_UNIT:
        return
    other = (
        Contract.objects.of_service(ServiceCode.CLOUD_PROXY)
        .filter(customer_id=contract.customer_id, item__role=ItemRole.PARENT, status__in=HOLDS_ITS_UNIT)
        .filter(management_unit__iexact=unit)
        .exclude(pk=contract.pk)
        .values_list("number", flat=True)
        .first()
    )
    if other:
        refuse(
            _(
                "The parent contract %(number)s is already made for the management unit “%(unit)s”; one parent "
                "contract is made per management unit (Cloud Proxy art. 1)."
            )
            % {"number": other, "unit": unit},
            "management_unit",
        )


@contract_rule(ServiceCode.CLOUD_PROXY)
def bypass_region_chosen_at_contract_time(contract):
    """A cloud bypass child names its region when contracted (art. 5 ¶1), as a CXM2 names its location."""
    if _role(contract) == ItemRole.BYPASS and not contract.region:
        refuse(_("A cloud bypass child names its region when contracted (Cloud Proxy art. 5 ¶1)."), "region")


@contract_rule(ServiceCode.CLOUD_PROXY)
def bypass_needs_private_backbone(contract):
    """A cloud bypass child needs the customer to hold a Private Backbone contract (art. 6 ¶2)."""
    day = formed_on(contract)
    if _role(contract) != ItemRole.BYPASS or day is None:
        return
    if not holds_related(contract.customer_id, RelatedKind.PBB, day):
        refuse(_("A cloud bypass child requires a Private Backbone contract (Cloud Proxy art. 6 ¶2)."), "item")


@contract_end_guard(ServiceCode.CLOUD_PROXY)
def parent_keeps_required_children(contract, on):
    """The last template child, or the last bypass/external child, cannot end while its parent continues
    (art. 6 ¶1): end the parent instead, which ends its children with it. An abolished item (art. 11)
    ends regardless.
    """
    role = _role(contract)
    if role not in CHILD_ROLES or not lives_after(contract.parent, on) or abolished_by(contract, on):
        return
    siblings = contract.parent.children.live().exclude(pk=contract.pk)
    for roles, label in REQUIRED_CHILDREN:
        if role in roles and not siblings.filter(item__role__in=roles).exists():
            refuse(
                _("The parent contract must keep %(child)s while it continues (Cloud Proxy art. 6 ¶1).")
                % {"child": label}
            )


@option_rule(ServiceCode.CLOUD_PROXY)
def option_of_a_bypass_child(option):
    """Every option is for a cloud bypass child (art. 10 ¶2; art. 6 ¶3, ¶4)."""
    if _role(option.contract) != ItemRole.BYPASS:
        refuse(_("Cloud Proxy options are for a cloud bypass child only (Cloud Proxy art. 6, art. 10)."), "kind")


@option_rule(ServiceCode.CLOUD_PROXY)
def internet_access_needs_recent_contract(option):
    """Internet Access connection needs an Internet Access contract formed on or after 2020-05-01 (art. 6 ¶3)."""
    day = formed_on(option)
    if option.kind_id != INTERNET_ACCESS or day is None:
        return
    held = holds_related(
        option.contract.customer_id, RelatedKind.INTERNET_ACCESS, day, started_on__gte=INTERNET_ACCESS_FORMED_FROM
    )
    if not held:
        refuse(
            _(
                "Internet Access connection requires an IIJ Internet Access contract formed on or after "
                "2020-05-01 (Cloud Proxy art. 6 ¶3)."
            ),
            "kind",
        )


@option_rule(ServiceCode.CLOUD_PROXY)
def initial_setup_applied_with_bypass(option):
    """Initial setup is applied for together with its bypass child, in the same application (art. 10 ¶3)."""
    if option.kind_id != INITIAL_SETUP:
        return
    if not option.applied_with_parent or option.applied_on != option.contract.applied_on:
        refuse(
            _(
                "Initial setup must be applied for together with its cloud bypass child, on the same "
                "application date (Cloud Proxy art. 10 ¶3)."
            ),
            "applied_with_parent",
        )


@contract_change_rule(ServiceCode.CLOUD_PROXY)
def only_bypass_item_changes_within_plan(contract, old):
    """Only a cloud bypass item may change, and only to an item of the same plan (art. 9)."""
    if "item_id" not in old:
        return
    before = Item.objects.get(pk=old["item_id"])
    if before.role != ItemRole.BYPASS or contract.item.role != ItemRole.BYPASS:
        refuse(_("Only a cloud bypass item can be changed (Cloud Proxy art. 9)."), "item")
    if before.plan != contract.item.plan:
        refuse(_("A cloud bypass item can change only to an item of the same plan (Cloud Proxy art. 9)."), "item")


@related_end_guard(RelatedKind.PBB)
def private_backbone_outlives_bypass_children(related, on):
    """The customer's last Private Backbone contract cannot end while a cloud bypass child needs it
    (art. 6 ¶2): the terms do not end the bypass with it, so staff end the bypass first."""
    if not keeps_another(related, on):
        bypasses = (
            Contract.objects.of_service(ServiceCode.CLOUD_PROXY)
            .live()
            .filter(customer_id=related.customer_id, item__role=ItemRole.BYPASS)
        )
        refuse_while_needed(
            bypasses, _("A cloud bypass child requires a Private Backbone contract (Cloud Proxy art. 6 ¶2).")
        )


@related_end_guard(RelatedKind.INTERNET_ACCESS)
def internet_access_outlives_its_option(related, on):
    """The last Internet Access contract formed on or after 2020-05-01 cannot end while an Internet
    Access connection option needs it (art. 6 ¶3)."""
    if related.started_on < INTERNET_ACCESS_FORMED_FROM or keeps_another(
        related, on, started_on__gte=INTERNET_ACCESS_FORMED_FROM
    ):
        return
    options = ContractOption.objects.live().filter(contract__customer_id=related.customer_id, kind_id=INTERNET_ACCESS)
    refuse_while_needed(
        options.select_related("contract"),
        _(
            "Internet Access connection requires an IIJ Internet Access contract formed on or after "
            "2020-05-01 (Cloud Proxy art. 6 ¶3)."
        ),
    )
