"""What the other apps (billing, SLA, equipment) read from contracts: their one way in (docs/contracts-api.md).

Every function is keyword-only and returns a queryset whose rows carry what the reader needs, with
their related rows joined or prefetched, so the number of queries never grows with the rows.
Prices come from the snapshot frozen at acceptance (``FROZEN_TERMS``), never from the catalog.
"""

import calendar
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from customers.models import Customer

from .choices import Region, ServiceCode
from .models import BandwidthArea, Contract, ContractChange, ContractOption, OneTimeFee
from .rules.cascades import Ending, endings_with

#: The services with a quality guarantee (SPEC §8).
SLA_SERVICES = (ServiceCode.CXM2, ServiceCode.SMART_HUB)
ROUTER_RENTAL = "isp_platform.router_rental"


def month_bounds(*, year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a calendar month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _billable_during(first: date, last: date) -> Q:
    """Accepted in the month (its initial fee arises, SPEC §1), or billed on or before ``last`` and not
    ended before ``first`` (the end date is the last day of service)."""
    in_service = Q(billing_start_on__lte=last) & (Q(terminated_on__isnull=True) | Q(terminated_on__gte=first))
    return in_service | Q(accepted_on__range=(first, last))


def billable_contracts(*, year: int, month: int) -> QuerySet[Contract]:
    """Contracts with fees in the month (accepted in it, or in service on one of its days), with their
    frozen prices, customer and item.

    ``bandwidth_mbps`` is the sum of the ISP Platform bandwidth areas (0 for others). One query.
    """
    first, last = month_bounds(year=year, month=month)
    areas = BandwidthArea.objects.filter(contract=OuterRef("pk")).order_by().values("contract").annotate(t=Sum("mbps"))
    return (
        Contract.objects.filter(_billable_during(first, last))
        .select_related("customer", "service", "item")
        .annotate(bandwidth_mbps=Coalesce(Subquery(areas.values("t")), 0))
        .order_by("customer__code", "number")
    )


def billable_options(*, year: int, month: int) -> QuerySet[ContractOption]:
    """Options with fees in the month (accepted in it, or in service on one of its days), with their frozen
    prices (and router units), contract and customer.

    One query.
    """
    first, last = month_bounds(year=year, month=month)
    return (
        ContractOption.objects.filter(_billable_during(first, last))
        .select_related("contract__customer", "contract__service", "kind")
        .order_by("contract__customer__code", "contract__number", "pk")
    )


def change_fees(*, year: int, month: int) -> QuerySet[ContractChange]:
    """Change fees (一時費用) arising in the month: changes accepted in it with a fee. One query."""
    first, last = month_bounds(year=year, month=month)
    return (
        ContractChange.objects.filter(accepted_on__range=(first, last), fee__gt=0)
        .select_related("contract__customer", "option__kind")
        .order_by("contract__customer__code", "accepted_on", "pk")
    )


def one_time_fees(*, year: int, month: int) -> QuerySet[OneTimeFee]:
    """Manual one-time fees (after-hours work, long work, travel) falling in the month. One query."""
    first, last = month_bounds(year=year, month=month)
    return (
        OneTimeFee.objects.filter(incurred_on__range=(first, last))
        .select_related("contract__customer")
        .order_by("contract__customer__code", "incurred_on", "pk")
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


def _in_force_on(day: date) -> Q:
    """Accepted by ``day`` and not ended before it (``terminated_on`` is the last day of service)."""
    return Q(accepted_on__lte=day) & (Q(terminated_on__isnull=True) | Q(terminated_on__gte=day))


def contracts_in_force(*, on: date) -> QuerySet[Contract]:
    """Contracts in force on ``on`` (accepted by then, not yet ended), as they stood that day whatever
    happened since, with their customer, service and item. One query."""
    return (
        Contract.objects.filter(_in_force_on(on))
        .select_related("customer", "service", "item")
        .order_by("service_id", "item_id", "number")
    )


def options_in_force(*, on: date) -> QuerySet[ContractOption]:
    """Options in force on ``on``, with their contract, customer and kind. One query."""
    return (
        ContractOption.objects.filter(_in_force_on(on))
        .select_related("contract__customer", "kind__service")
        .order_by("kind__service_id", "kind_id", "contract__number", "pk")
    )


def contracts_in_force_by_service(*, days: list[date]) -> dict[tuple[date, str], int]:
    """How many contracts were in force on each of ``days``, per service: ``{(day, service code): n}``.

    One query, whatever the number of days."""
    counts = {f"d{i}": Count("pk", filter=_in_force_on(day)) for i, day in enumerate(days)}
    rows = Contract.objects.order_by().values("service_id").annotate(**counts)
    return {(day, row["service_id"]): row[f"d{i}"] for row in rows for i, day in enumerate(days)}


def contracts_accepted(*, year: int, month: int) -> QuerySet[Contract]:
    """Contracts accepted in the month (new contracts), with their customer, service and item. One query."""
    first, last = month_bounds(year=year, month=month)
    return (
        Contract.objects.filter(accepted_on__range=(first, last))
        .select_related("customer", "service", "item")
        .order_by("accepted_on", "number")
    )


def contracts_terminated(*, year: int, month: int) -> QuerySet[Contract]:
    """Contracts whose last day of service falls in the month, with their customer, service and item, and
    ``bandwidth_mbps`` as ``billable_contracts`` has it (their settlement reads it). One query."""
    first, last = month_bounds(year=year, month=month)
    areas = BandwidthArea.objects.filter(contract=OuterRef("pk")).order_by().values("contract").annotate(t=Sum("mbps"))
    return (
        Contract.objects.filter(terminated_on__range=(first, last))
        .select_related("customer", "service", "item")
        .annotate(bandwidth_mbps=Coalesce(Subquery(areas.values("t")), 0))
        .order_by("terminated_on", "number")
    )


def contract_changes(*, year: int, month: int) -> QuerySet[ContractChange]:
    """Every change accepted in the month, with or without a fee, with its contract, customer and option.
    One query."""
    first, last = month_bounds(year=year, month=month)
    return (
        ContractChange.objects.filter(accepted_on__range=(first, last))
        .select_related("contract__customer", "contract__service", "option__kind")
        .order_by("accepted_on", "pk")
    )


def ending_with(*, contract: Contract, on: date, reason: str) -> list[Ending]:
    """What would end if ``contract`` ended on ``on`` for ``reason``: its live options, children and the
    contracts the rules end with it, each with the reason it would end for (``Ending``). Reads only;
    the lifecycle ends exactly these rows. A few queries per contract that ends."""
    return endings_with(contract, on, reason)


__all__ = [
    "SLA_SERVICES",
    "billable_contracts",
    "billable_options",
    "change_fees",
    "contract_changes",
    "contracts_accepted",
    "contracts_in_force",
    "contracts_in_force_by_service",
    "contracts_terminated",
    "ending_with",
    "live_contracts",
    "managed_router_contracts",
    "month_bounds",
    "one_time_fees",
    "options_in_force",
    "router_rental_options",
    "sla_contracts",
]
