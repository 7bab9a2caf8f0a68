"""Turning one converted row into saved rows (applied, with every rule run by ``full_clean``).

The lifecycle dates are not set here: ``moves`` brings the row to its state through the lifecycle
service. The legacy readings of the terms' supplementary provisions are applied here.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customers.models import Customer, RelatedContract

from ..choices import ServiceCode
from ..models import BandwidthArea, Contract, ContractOption
from ..rules.managed_router import legacy_mapping

GOOGLE_WORKSPACE = "cloud_proxy.template.google_workspace"
#: Legacy names of the Google Workspace template item (Cloud Proxy supplementary provisions 2021-06-01).
ITEM_ALIASES = {"cloud_proxy.template.gsuite": GOOGLE_WORKSPACE, "g suite": GOOGLE_WORKSPACE}

#: Columns that name another row (or hold other rows, areas) and columns that become lifecycle moves:
#: neither is set as a model attribute.
REFERENCES = {
    "customer": set(),
    "related": {"customer"},
    "contract": {"customer", "item", "parent", "standby_of", "related_contract", "areas"},
    "option": {"contract", "kind"},
}
MOVES = {
    "accepted_on",
    "billing_start_on",
    "notice_received_on",
    "requested_end_on",
    "terminated_on",
    "termination_reason",
    "initial_fee",
    "monthly_fee",
    "ended_on",
    "withdrawn_on",
}


def _attributes(row) -> dict:
    skip = REFERENCES[row.kind] | MOVES
    return {name: value for name, value in row.values.items() if name not in skip}


def _save(obj, **checks):
    """``obj`` validated (``checks``: keywords its ``full_clean`` takes) and saved."""
    obj.full_clean(**checks)
    obj.save()
    return obj


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def create_customer(ctx, row) -> Customer:
    return _save(Customer(**_attributes(row)))


def create_related(ctx, row) -> RelatedContract:
    customer = ctx.customer(row.values["customer"])
    if (customer.code, row.values["reference"]) in ctx.preloaded.related:
        _refuse("reference", _("The customer already has a related contract with this reference."))
    return _save(RelatedContract(customer=customer, **_attributes(row)))


def _item(ctx, row):
    """The catalog item of a contract row, reading legacy items as the terms' provisions say."""
    values = row.values
    code = values.get("item")
    options: list[str] = []
    if values.get("legacy_type"):
        try:
            legacy_item, options = legacy_mapping(values["legacy_type"])
        except ValueError:
            _refuse("legacy_type", _("“%(value)s” is not a legacy router type.") % {"value": values["legacy_type"]})
        code = code or legacy_item
        ctx.note(
            row,
            _("legacy %(type)s continues as %(item)s%(options)s (Managed Router supplementary provisions 2005-05-01)")
            % {"type": values["legacy_type"], "item": legacy_item, "options": "".join(f" + {o}" for o in options)},
        )
    if code and code.lower() in ITEM_ALIASES:
        ctx.note(
            row,
            _("%(item)s is read as Google Workspace (Cloud Proxy supplementary provisions 2021-06-01)")
            % {"item": code},
        )
        code = ITEM_ALIASES[code.lower()]
    if not code:
        _refuse("item", _("required."))
    item = ctx.item(code)
    if item is None:
        _refuse("item", _("unknown item code “%(code)s”.") % {"code": code})
    return item, options


def create_contract(ctx, row) -> Contract:
    values = row.values
    customer = ctx.customer(values["customer"])
    item, legacy_options = _item(ctx, row)
    contract = Contract(customer=customer, item=item, service=item.service, **_attributes(row))
    if "min_period_start_on" in values and not contract.legacy_type:
        _refuse(
            "min_period_start_on",
            _(
                "only a legacy managed router contract keeps its minimum-period start "
                "(Managed Router supplementary provisions 2005-05-01); otherwise it is the billing start."
            ),
        )
    if "parent" in values:
        contract.parent = ctx.contract(values["parent"], "parent")
    if "standby_of" in values:
        contract.standby_of = ctx.contract(values["standby_of"], "standby_of")
    if "related_contract" in values:
        contract.related_contract = ctx.related(customer, values["related_contract"])
    if item.service_id == ServiceCode.SMART_HUB and contract.related_contract and not contract.closed_network:
        contract.closed_network = contract.related_contract.closed_network
    _save(contract, trusted=ctx.trusted)
    for area, mbps in values.get("areas", []):
        _save(BandwidthArea(contract=contract, area=area, mbps=mbps))
    companions = ctx.companions[row.number] = []
    for code in legacy_options:
        option = ContractOption(
            contract=contract,
            kind_id=code,
            applied_on=contract.applied_on,
            min_period_start_on=contract.min_period_start_on,
        )
        if kind := ctx.option_kind(code):
            option.kind = kind
        companions.append(_save(option, trusted=ctx.trusted))
    for option in companions:  # once every one is saved: a refusal leaves none of them known to the pass
        ctx.created(None, option)
    return contract


def create_option(ctx, row) -> ContractOption:
    values = row.values
    contract = ctx.contract(values["contract"], "contract")
    kind = ctx.option_kind(values["kind"])
    if kind is None:
        _refuse("kind", _("unknown option kind “%(code)s”.") % {"code": values["kind"]})
    option = ContractOption(contract=contract, kind=kind, **_attributes(row))
    if contract.legacy_type:
        # The options of a legacy contract keep its minimum-period start (附則 2005-05-01).
        option.min_period_start_on = option.min_period_start_on or contract.min_period_start_on
    elif option.min_period_start_on:
        _refuse("min_period_start_on", _("only the options of a legacy managed router contract keep their start."))
    return _save(option, trusted=ctx.trusted)


CREATE = {
    "customer": create_customer,
    "related": create_related,
    "contract": create_contract,
    "option": create_option,
}
