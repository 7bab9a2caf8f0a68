"""Rules shared by all five services (SPEC §1)."""

from django.utils.translation import gettext as _

from ..choices import ItemRole, ServiceCode
from .registry import ANY, contract_change_rule, contract_rule, option_change_rule, option_rule, refuse


@contract_rule(ANY)
def item_belongs_to_service(contract):
    if contract.item_id and contract.item.service_id != contract.service_id:
        refuse(_("The item %(item)s is not an item of this service.") % {"item": contract.item}, "item")


@contract_rule(ANY)
def item_not_abolished(contract):
    """An abolished service or item takes no new application (CXM2 art. 9, Cloud Proxy art. 11, ISP art. 8)."""
    if contract.pk or not contract.item_id:
        return
    ended = contract.item.abolished_on or contract.service.abolished_on
    if ended and contract.applied_on and contract.applied_on >= ended:
        refuse(
            _("%(item)s was abolished on %(date)s and takes no new application.")
            % {"item": contract.item, "date": ended},
            "item",
        )


@contract_rule(ANY)
def parent_only_for_cloud_proxy_children(contract):
    """Only Cloud Proxy child contracts have a parent contract (Cloud Proxy art. 1)."""
    child = (
        contract.service_id == ServiceCode.CLOUD_PROXY and contract.item_id and contract.item.role != ItemRole.PARENT
    )
    if contract.parent_id and not child:
        refuse(_("Only a Cloud Proxy child contract has a parent contract (Cloud Proxy art. 1)."), "parent")
    if child and not contract.parent_id:
        refuse(_("A Cloud Proxy child contract belongs to a parent contract (Cloud Proxy art. 1)."), "parent")


@option_rule(ANY)
def option_of_the_contracts_service(option):
    if option.kind_id and option.kind.service_id != option.contract.service_id:
        refuse(_("%(option)s is not an option of this contract's service.") % {"option": option.kind}, "kind")


@option_rule(ANY)
def option_not_abolished(option):
    if option.pk or not option.kind_id:
        return
    if option.kind.abolished_on and option.applied_on and option.applied_on >= option.kind.abolished_on:
        refuse(
            _("%(option)s was abolished on %(date)s and takes no new application.")
            % {"option": option.kind, "date": option.kind.abolished_on},
            "kind",
        )


@contract_change_rule(ANY)
def identity_never_changes(contract, old):
    """A contract belongs to one customer and one service for life; a move is a new contract."""
    for name, label in (("customer_id", _("customer")), ("service_id", _("service"))):
        if name in old:
            refuse(
                _("The %(field)s of a contract cannot be changed; cancel it and apply anew.") % {"field": label},
                name.removesuffix("_id"),
            )


@contract_change_rule(ANY)
def location_never_changes(contract, old):
    """The location or region chosen at contract time is the only one usable (CXM2 art. 3, Cloud Proxy art. 5)."""
    if "region" in old and old["region"]:
        refuse(
            _("The location or region chosen at contract time cannot be changed (CXM2 art. 3, Cloud Proxy art. 5)."),
            "region",
        )


@option_change_rule(ANY)
def option_identity_never_changes(option, old):
    for name in ("contract_id", "kind_id"):
        if name in old:
            refuse(
                _("An option cannot move to another contract or become another option; stop it and apply anew."),
                name.removesuffix("_id"),
            )
