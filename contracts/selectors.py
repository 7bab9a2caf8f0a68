"""What the other apps (billing, SLA, equipment) read from contracts: their one way in (docs/contracts-api.md).

Every function is keyword-only and returns a queryset whose rows carry what the reader needs, with
their related rows joined or prefetched, so the number of queries never grows with the rows.
Prices come from the snapshot frozen at acceptance (``FROZEN_TERMS``), never from the catalog.
"""

from datetime import date, datetime
from itertools import batched

from django.db.models import Count, F, OuterRef, PositiveIntegerField, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from backoffice.months import Month
from customers.models import Customer

from .choices import Region, ServiceCode, TerminationReason
from .models import BANDWIDTH_ATTRIBUTE, BandwidthArea, Contract, ContractChange, ContractOption, DatedPrice, OneTimeFee
from .models.catalog import localized
from .prices import CONTRACT_PRICES, OPTION_PRICES, Schedule
from .rules import managed_router as managed_router_rules
from .rules import smart_hub as smart_hub_rules
from .rules.cascades import Ending, endings_with

#: The services with a quality guarantee (SPEC §8).
SLA_SERVICES = (ServiceCode.CXM2, ServiceCode.SMART_HUB)
#: The options of a Smart HUB contract that are ports (art. 4 ¶2): an alert may name one.
SMART_HUB_PORTS = (smart_hub_rules.ONPREM_PORT, smart_hub_rules.CLOUD_PORT)
ROUTER_RENTAL = "isp_platform.router_rental"


def _billable_during(month: Month) -> Q:
    """Accepted in the month (its initial fee arises, SPEC §1), or billed on or before its last day and not
    ended before its first (the end date is the last day of service)."""
    first, last = month.first_day, month.last_day
    in_service = Q(billing_start_on__lte=last) & (Q(terminated_on__isnull=True) | Q(terminated_on__gte=first))
    return in_service | Q(accepted_on__range=(first, last))


def _count_on(day: date, attribute: str, *, current=None, **owner) -> Coalesce:
    """A count (lines, routers, bandwidth) as in force on ``day``: the value before the first change accepted
    after that day, else the current value (the row's ``attribute`` unless ``current`` says how to read it).
    Changes carry their old and new counts typed."""
    later = ContractChange.objects.filter(attribute=attribute, accepted_on__gt=day, **owner).order_by(
        "accepted_on", "pk"
    )
    now = F(attribute) if current is None else current
    return Coalesce(Subquery(later.values("old_quantity")[:1]), now, output_field=PositiveIntegerField())


def _bandwidth_now() -> Coalesce:
    """The sum of an ISP Platform contract's bandwidth areas as they stand (0 without areas), as a subquery."""
    areas = BandwidthArea.objects.filter(contract=OuterRef("pk")).order_by().values("contract").annotate(t=Sum("mbps"))
    return Coalesce(Subquery(areas.values("t")), 0)


def _touched_since(moment: datetime | None, *, contract: str) -> Q:
    """Rows recorded or changed after ``moment`` (their own history, or a change, a one-time fee or a
    bandwidth area of theirs): what a month issued before then may have billed otherwise. ``contract``
    names the path to the contract's id."""
    if moment is None:
        return Q()
    after = {"history_date__gt": moment}
    return (
        Q(**{f"{contract}__in": Contract.history.filter(**after).values("id")})
        | Q(**{f"{contract}__in": ContractChange.history.filter(**after).values("contract_id")})
        | Q(**{f"{contract}__in": OneTimeFee.history.filter(**after).values("contract_id")})
        | Q(**{f"{contract}__in": BandwidthArea.history.filter(**after).values("contract_id")})
        | Q(**{f"{contract}__in": ContractOption.history.filter(**after).values("contract_id")})
        | Q(**{f"{contract}__in": DatedPrice.history.filter(**after).values("contract_id")})
    )


def billable_contracts(*, month: Month, touched_since: datetime | None = None) -> QuerySet[Contract]:
    """Contracts with fees in the month (accepted in it, or in service on one of its days), with their
    frozen prices, customer and item; only those recorded or changed after ``touched_since`` if given.

    ``line_count_then`` is the count in force on the month's last day (``_count_on``), and so is
    ``bandwidth_mbps``, the sum of the ISP Platform bandwidth areas (0 for others). One query.
    """
    return (
        Contract.objects.filter(_billable_during(month), _touched_since(touched_since, contract="pk"))
        .select_related("customer", "service", "item")
        .annotate(
            bandwidth_mbps=_count_on(
                month.last_day,
                BANDWIDTH_ATTRIBUTE,
                current=_bandwidth_now(),
                contract=OuterRef("pk"),
                option__isnull=True,
            ),
            line_count_then=_count_on(month.last_day, "line_count", contract=OuterRef("pk"), option__isnull=True),
        )
        .order_by("customer__code", "number")
    )


def billable_options(*, month: Month, touched_since: datetime | None = None) -> QuerySet[ContractOption]:
    """Options with fees in the month (accepted in it, or in service on one of its days), with their frozen
    prices, contract and customer; only those of contracts recorded or changed after ``touched_since`` if
    given. ``units_then`` is the router count in force on the month's last day. One query.
    """
    return (
        ContractOption.objects.filter(_billable_during(month), _touched_since(touched_since, contract="contract_id"))
        .select_related("contract__customer", "contract__service", "kind")
        .annotate(units_then=_count_on(month.last_day, "units", option=OuterRef("pk")))
        .order_by("contract__customer__code", "contract__number", "pk")
    )


def change_fees(*, month: Month, touched_since: datetime | None = None) -> QuerySet[ContractChange]:
    """Change fees (一時費用) arising in the month: changes accepted in it with a fee. One query."""
    return (
        ContractChange.objects.filter(
            _touched_since(touched_since, contract="contract_id"),
            accepted_on__range=(month.first_day, month.last_day),
            fee__gt=0,
        )
        .select_related("contract__customer", "option__kind")
        .order_by("contract__customer__code", "accepted_on", "pk")
    )


def one_time_fees(*, month: Month, touched_since: datetime | None = None) -> QuerySet[OneTimeFee]:
    """Manual one-time fees (after-hours work, long work, travel) falling in the month. One query."""
    return (
        OneTimeFee.objects.filter(
            _touched_since(touched_since, contract="contract_id"),
            incurred_on__range=(month.first_day, month.last_day),
        )
        .select_related("contract__customer")
        .order_by("contract__customer__code", "incurred_on", "pk")
    )


def contracts_touched_since(moment: datetime) -> QuerySet[Contract]:
    """The ids of the contracts recorded or changed after ``moment`` (themselves, or an option, change,
    one-time fee or bandwidth area of theirs), as a subquery."""
    return Contract.objects.filter(_touched_since(moment, contract="pk")).values("pk")


def router_rental_reductions(*, up_to: date) -> QuerySet[ContractChange]:
    """Accepted changes that lowered a router rental's count, on or before ``up_to``: the routers given
    back owe the cancellation fee (typed old and new counts), with the option, its contract and customer."""
    return (
        ContractChange.objects.filter(
            option__kind_id=ROUTER_RENTAL,
            attribute="units",
            new_quantity__lt=F("old_quantity"),
            accepted_on__lte=up_to,
        )
        .select_related("option__contract__customer")
        .order_by("pk")
    )


def router_rental_cancellations(*, up_to: date) -> QuerySet[ContractOption]:
    """Router rental options the customer stopped by notice on or before ``up_to`` (ISP Platform art. 7 ¶9:
    the cancellation fee per router arises, annex 1 §3 (3)); not those that ended with their contract, on
    the provider's side or by abolition. With contract and customer."""
    with_contract = Q(contract__terminated_on=F("terminated_on"))
    return (
        ContractOption.objects.filter(
            kind_id=ROUTER_RENTAL, terminated_on__lte=up_to, termination_reason=TerminationReason.CUSTOMER_REQUEST
        )
        .exclude(with_contract)
        .select_related("contract__customer")
        .order_by("pk")
    )


def live_contracts(*, customer: Customer) -> QuerySet[Contract]:
    """The customer's live contracts (accepted, in service or cancellation pending). One query."""
    return Contract.objects.live().filter(customer=customer).select_related("service", "item").order_by("number")


def sla_contracts(
    *,
    customer: Customer | None = None,
    service: ServiceCode | None = None,
    location: Region | None = None,
    closed_network: str | None = None,
) -> QuerySet[Contract]:
    """Live CXM2 and Smart HUB contracts (the guaranteed ones), filtered by any of customer, service,
    CXM2 location and Smart HUB closed network. One query."""
    rows = Contract.objects.live().filter(service__in=SLA_SERVICES)
    filters = {"customer": customer, "service": service, "region": location, "closed_network": closed_network}
    rows = rows.filter(**{name: value for name, value in filters.items() if value is not None})
    return rows.select_related("customer", "service", "item").order_by("customer__code", "number")


def managed_router_contracts(*, customer: Customer | None = None, live_only: bool = True) -> QuerySet[Contract]:
    """Managed Router contracts (their equipment is lent to them, art. 3); ended ones too with
    ``live_only=False``, as equipment comes back within 30 days of the end (art. 7 ¶3). One query."""
    rows = Contract.objects.of_service(ServiceCode.MANAGED_ROUTER)
    rows = rows.live() if live_only else rows
    if customer is not None:
        rows = rows.filter(customer=customer)
    return rows.select_related("customer", "item", "related_contract").order_by("customer__code", "number")


def router_rental_options(*, customer: Customer | None = None, live_only: bool = True) -> QuerySet[ContractOption]:
    """ISP Platform router-rental options with their unit count (``units``) and frozen cancellation fee
    per unit; ended ones too with ``live_only=False`` (routers come back, art. 7 ¶4). One query."""
    rows = ContractOption.objects.filter(kind_id=ROUTER_RENTAL)
    rows = rows.live() if live_only else rows
    if customer is not None:
        rows = rows.filter(contract__customer=customer)
    return rows.select_related("contract__customer", "kind").order_by("contract__customer__code", "contract__number")


#: Ids read per query (SQLite takes 32,766 parameters); past one batch, every dated price is read at once.
PRICE_BATCH = 5000


def dated_prices(*, contracts=(), options=(), up_to: date | None = None) -> dict[tuple[str, int], list[dict]]:
    """The dated prices of the ``contracts`` and ``options`` ids, from before ``up_to`` if given, as plain values
    grouped by ``("contract", id)`` / ``("option", id)`` in order of their day, each with its item's name: what
    ``prices.Schedule.of`` takes. One query each, whatever the number of ids."""
    found = {}
    for kind, owners, names in (("contract", contracts, CONTRACT_PRICES), ("option", options, OPTION_PRICES)):
        owners = set(owners)
        # Many ids (a month's run): every dated price, kept for those ids (prices are far fewer than rows).
        batches = [None] if len(owners) > PRICE_BATCH else batched(sorted(owners), PRICE_BATCH)
        for batch in batches:
            rows = DatedPrice.objects.filter(option__isnull=kind == "contract")
            if batch is not None:
                rows = rows.filter(**{f"{kind}__in": batch})
            if up_to is not None:
                rows = rows.filter(valid_from__lte=up_to)
            for values in rows.order_by("valid_from").values(
                kind, "valid_from", "item_id", "item__name_ja", "item__name_en", *names
            ):
                owner = values.pop(kind)
                if owner in owners:
                    values["item_name"] = _name(values.pop("item__name_ja"), values.pop("item__name_en"))
                    found.setdefault((kind, owner), []).append(values)
    return found


def _name(name_ja: str | None, name_en: str | None) -> str:
    """A catalog name in the active language (``catalog.localized``); none for an option's price."""
    return "" if name_ja is None else localized(name_ja, name_en)


def price_schedule(row) -> Schedule:
    """The schedule of prices of one contract or option (its frozen terms, then its dated prices). One query."""
    return price_schedules([row])[row.pk]


def price_schedules(rows) -> dict[int, Schedule]:
    """``{id: schedule}`` of many contracts, or many options (a page of a list): one query, whatever their number.
    A contract's item is read from the row (join it)."""
    rows = list(rows)
    if not rows:
        return {}
    kind = "contract" if isinstance(rows[0], Contract) else "option"
    names = CONTRACT_PRICES if kind == "contract" else OPTION_PRICES
    dated = dated_prices(**{f"{kind}s": [row.pk for row in rows]})
    schedules = {}
    for row in rows:
        base = {name: getattr(row, name) for name in names}
        if kind == "contract":
            base.update(item_id=row.item_id, item_name=str(row.item.name) if row.item_id else "")
        schedules[row.pk] = Schedule.of(base, dated.get((kind, row.pk), ()))
    return schedules


def monthly_fee_on(day: date, *, owner: str = "contract") -> Coalesce:
    """The monthly fee in force on ``day`` of the contract (``owner="contract"``) or option of each row, as an
    annotation: the last dated price from that day or before, else the frozen fee."""
    if owner == "contract":
        dated = DatedPrice.objects.filter(contract=OuterRef("pk"), option__isnull=True)
    else:
        dated = DatedPrice.objects.filter(option=OuterRef("pk"))
    latest = dated.filter(valid_from__lte=day).order_by("-valid_from").values("monthly_fee")[:1]
    return Coalesce(Subquery(latest), F("monthly_fee"))


def monthly_fees_on(*, day: date, contracts) -> dict[int, int]:
    """``{contract id: monthly fee in force on day}`` of ``contracts`` (ids or a queryset). One query."""
    rows = Contract.objects.filter(pk__in=contracts).annotate(fee=monthly_fee_on(day))
    return {pk: fee or 0 for pk, fee in rows.values_list("pk", "fee")}


def _in_force_on(day: date) -> Q:
    """Accepted by ``day`` and not ended before it (``terminated_on`` is the last day of service)."""
    return Q(accepted_on__lte=day) & (Q(terminated_on__isnull=True) | Q(terminated_on__gte=day))


def contracts_in_force(*, on: date) -> QuerySet[Contract]:
    """Contracts in force on ``on`` (accepted by then, not yet ended), as they stood that day whatever
    happened since, with their customer, service and item, and ``monthly_fee_then`` the monthly fee in force
    that day. One query."""
    return (
        Contract.objects.filter(_in_force_on(on))
        .annotate(monthly_fee_then=monthly_fee_on(on))
        .select_related("customer", "service", "item")
        .order_by("service_id", "item_id", "number")
    )


def options_in_force(*, on: date) -> QuerySet[ContractOption]:
    """Options in force on ``on``, with their contract, customer and kind, and ``monthly_fee_then`` the monthly
    fee in force that day. One query."""
    return (
        ContractOption.objects.filter(_in_force_on(on))
        .annotate(monthly_fee_then=monthly_fee_on(on, owner="option"))
        .select_related("contract__customer", "kind__service")
        .order_by("kind__service_id", "kind_id", "contract__number", "pk")
    )


def contracts_in_force_by_service(*, days: list[date]) -> dict[tuple[date, str], int]:
    """How many contracts were in force on each of ``days``, per service: ``{(day, service code): n}``.

    One query, whatever the number of days."""
    counts = {f"d{i}": Count("pk", filter=_in_force_on(day)) for i, day in enumerate(days)}
    rows = Contract.objects.order_by().values("service_id").annotate(**counts)
    return {(day, row["service_id"]): row[f"d{i}"] for row in rows for i, day in enumerate(days)}


def contracts_accepted(*, month: Month) -> QuerySet[Contract]:
    """Contracts accepted in the month (new contracts), with their customer, service and item. One query."""
    return (
        Contract.objects.filter(accepted_on__range=(month.first_day, month.last_day))
        .select_related("customer", "service", "item")
        .order_by("accepted_on", "number")
    )


def contracts_terminated(*, month: Month) -> QuerySet[Contract]:
    """Contracts whose last day of service falls in the month, with their customer, service and item, and
    ``bandwidth_mbps`` the areas' sum as it stands, their last (their settlement reads it). One query."""
    return (
        Contract.objects.filter(terminated_on__range=(month.first_day, month.last_day))
        .select_related("customer", "service", "item")
        .annotate(bandwidth_mbps=_bandwidth_now())
        .order_by("terminated_on", "number")
    )


def contract_changes(*, month: Month) -> QuerySet[ContractChange]:
    """Every change accepted in the month, with or without a fee, with its contract, customer and option.
    One query."""
    return (
        ContractChange.objects.filter(accepted_on__range=(month.first_day, month.last_day))
        .select_related("contract__customer", "contract__service", "option__kind")
        .order_by("accepted_on", "pk")
    )


def ending_with(*, contract: Contract, on: date, reason: str) -> list[Ending]:
    """What would end if ``contract`` ended on ``on`` for ``reason``: its live options, children and the
    contracts the rules end with it, each with the reason it would end for (``Ending``). Reads only;
    the lifecycle ends exactly these rows. A few queries per contract that ends."""
    return endings_with(contract, on, reason)


def equipment_install_is_change(*, contract: Contract, on: date, had_equipment: bool, replacement: bool) -> bool:
    """Whether a unit installed on ``on`` on a managed router contract is an equipment change (Managed Router
    art. 6 ¶1 (1)), given what the equipment app knows: whether the contract had a unit installed on an
    earlier day, and whether this unit is the replacement for a failure, loss or damage (art. 8, 9). Up to
    the billing start it is the delivery (art. 3). No query."""
    return managed_router_rules.equipment_install_is_change(
        contract, on, had_equipment=had_equipment, replacement=replacement
    )


__all__ = [
    "SLA_SERVICES",
    "SMART_HUB_PORTS",
    "billable_contracts",
    "billable_options",
    "change_fees",
    "contract_changes",
    "contracts_accepted",
    "contracts_in_force",
    "contracts_in_force_by_service",
    "contracts_terminated",
    "contracts_touched_since",
    "dated_prices",
    "ending_with",
    "equipment_install_is_change",
    "live_contracts",
    "managed_router_contracts",
    "monthly_fee_on",
    "monthly_fees_on",
    "one_time_fees",
    "options_in_force",
    "price_schedule",
    "price_schedules",
    "router_rental_options",
    "router_rental_reductions",
    "router_rental_cancellations",
    "sla_contracts",
]
