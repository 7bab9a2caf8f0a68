"""Rules shared by all five services (SPEC §1)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text
from customers.choices import CustomerStatus

from ..choices import ItemRole, ServiceCode, Status
from .hooks import ANY, contract_change_rule, contract_rule, option_change_rule, option_rule, refuse
from .queries import enters_status


@contract_rule(ANY)
def item_belongs_to_service(contract):
    if contract.item_id and contract.item.service_id != contract.service_id:
        refuse(_("The item %(item)s is not an item of this service.") % {"item": contract.item}, "item")


#: The article under which each service may be abolished; the others are abolished as catalog edits.
ABOLITION_ARTICLE = {
    ServiceCode.CXM2: gettext_lazy("CXM2 art. 9"),
    ServiceCode.CLOUD_PROXY: gettext_lazy("Cloud Proxy art. 11"),
    ServiceCode.ISP_PLATFORM: gettext_lazy("ISP Platform art. 8"),
}


def _refuse_if_abolished(obj, entry, service_code: str, field: str) -> None:
    """An abolished service, item or option takes no new application and no acceptance."""
    if obj.pk is None:
        day = obj.applied_on
    elif enters_status(obj, Status.ACCEPTED):
        day = obj.accepted_on
    else:
        return
    ended = min((d for d in (entry.abolished_on, entry.service.abolished_on) if d), default=None)
    if ended and day and day >= ended:
        refuse(
            _("%(entry)s was abolished on %(date)s; it can no longer be applied for or accepted (%(article)s).")
            % {
                "entry": entry,
                "date": date_text(ended),
                "article": ABOLITION_ARTICLE.get(service_code, _("abolished")),
            },
            field,
        )


@contract_rule(ANY)
def item_not_abolished(contract):
    if contract.item_id:
        _refuse_if_abolished(contract, contract.item, contract.service_id, "item")


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
def option_of_an_open_contract(option):
    """An ended or withdrawn contract takes no new option, and its options are neither accepted nor changed."""
    if option.contract.status in (Status.TERMINATED, Status.WITHDRAWN):
        refuse(
            _("The contract %(number)s has ended or was withdrawn; it takes no option.")
            % {"number": option.contract.number}
        )


@option_rule(ANY)
def option_not_abolished(option):
    if option.kind_id:
        _refuse_if_abolished(option, option.kind, option.contract.service_id, "kind")


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


def _takes_something_new(row) -> bool:
    """Whether ``row`` is applied for now, or moves into acceptance or billing (what a suspension stops)."""
    return row.pk is None or enters_status(row, Status.ACCEPTED) or enters_status(row, Status.ACTIVE)


def _refuse_while_suspended(contract) -> None:
    if contract.customer_id and contract.customer.status == CustomerStatus.SUSPENDED:
        refuse(
            _(
                "The customer is suspended: no application, acceptance, billing start or change until the "
                "suspension is lifted (back-office rule: a suspended customer)."
            )
        )


@contract_rule(ANY)
def suspended_customer_takes_nothing_new_contract(contract):
    """A suspended customer takes no new contract, acceptance or billing start (decision in docs/decisions.md);
    notices, withdrawals and ends still go through."""
    if _takes_something_new(contract):
        _refuse_while_suspended(contract)


@option_rule(ANY)
def suspended_customer_takes_nothing_new_option(option):
    if option.contract_id and _takes_something_new(option):
        _refuse_while_suspended(option.contract)


@contract_change_rule(ANY)
def suspended_customer_changes_nothing(contract, old):
    _refuse_while_suspended(contract)


@option_change_rule(ANY)
def suspended_customer_changes_no_option(option, old):
    _refuse_while_suspended(option.contract)
