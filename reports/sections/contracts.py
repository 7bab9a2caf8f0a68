"""The contracts of the month, read through ``contracts.selectors``: in force at month end (by service
and item, and one row each), the 12-month trend, new, changed and ended contracts, options by service."""

import re

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from backoffice.display import month_text
from backoffice.exports import DATE, NUMBER, TEXT, YEN, Column
from backoffice.months import Month
from billing.api import settlement_for
from contracts import selectors
from contracts.choices import ServiceCode, Status, TerminationReason
from contracts.models import ChangeKind

from ..report import Chart, Figure, Section, choice_labels, localized, localized_field

#: The columns of a list of contracts, and the fields they are read from (one query, no model instances).
CONTRACT_COLUMNS = (
    Column(_("contract number")),
    Column(_("customer number")),
    Column(_("customer")),
    Column(_("service")),
    Column(_("item")),
    Column(_("status")),
    Column(_("accepted on"), DATE),
    Column(_("billing start"), DATE),
    Column(_("minimum period ends"), DATE),
    Column(_("terminated on"), DATE),
    Column(_("termination reason")),
    Column(_("monthly fee (yen)"), YEN),
)
CHUNK = 5000


def contract_values(queryset):
    """``queryset`` as rows of ``CONTRACT_COLUMNS``, every cell made by the query: the names in the active
    language, the statuses and reasons as their labels. A million rows then stream with no work per row."""
    return queryset.values_list(
        "number",
        "customer__code",
        "customer__name",
        localized_field("service__name"),
        localized_field("item__name"),
        choice_labels("status", Status),
        "accepted_on",
        "billing_start_on",
        "min_period_end_on",
        "terminated_on",
        choice_labels("termination_reason", TerminationReason),
        "monthly_fee",
    )


def contract_list(key: str, title, queryset) -> Section:
    rows = contract_values(queryset)
    return Section(key, title, CONTRACT_COLUMNS, lambda: rows.iterator(chunk_size=CHUNK), queryset.count, values=rows)


def ended(month: Month) -> Section:
    """Contracts ended in the month with their early-termination settlement (``billing.settlement``, the one
    calculation of it; nothing when waived or past the minimum period)."""
    queryset = selectors.contracts_terminated(month=month)
    statuses, reasons = dict(Status.choices), dict(TerminationReason.choices)

    def rows():
        for row in queryset.iterator(chunk_size=CHUNK):
            yield (
                row.number,
                row.customer.code,
                row.customer.name,
                row.service.name,
                row.item.name,
                str(statuses.get(row.status, row.status)),
                row.accepted_on,
                row.billing_start_on,
                row.min_period_end_on,
                row.terminated_on,
                str(reasons.get(row.termination_reason, row.termination_reason)),
                row.monthly_fee,
                settlement_for(row, row.terminated_on).amount,
            )

    columns = (*CONTRACT_COLUMNS, Column(_("Early-termination settlement"), YEN))
    return Section("ended_contracts", _("Ended contracts"), columns, rows, queryset.count)


def grouped(key: str, title, queryset, *, service: str, kind: str, labels: tuple) -> Section:
    """How many rows of ``queryset`` and what monthly fees, per service and per ``kind`` (item or option)."""
    rows = (
        queryset.order_by(service, f"{kind}__rank", kind)
        .values(f"{service}__name_ja", f"{service}__name_en", f"{kind}__name_ja", f"{kind}__name_en")
        .annotate(n=Count("pk"), fees=Sum("monthly_fee_then"))
    )
    kind_label, count_label = labels
    columns = (
        Column(_("service")),
        Column(kind_label),
        Column(count_label, NUMBER),
        Column(_("monthly fees (yen)"), YEN),
    )

    def read():
        for r in rows:
            yield (
                localized(r[f"{service}__name_ja"], r[f"{service}__name_en"]),
                localized(r[f"{kind}__name_ja"], r[f"{kind}__name_en"]),
                r["n"],
                r["fees"] or 0,
            )

    return Section(key, title, columns, read, rows.count)


def trend(month: Month) -> Section:
    """Contracts in force at the end of each of the last twelve months, per service: one query."""
    months = month.last_twelve()

    def rows():
        counts = selectors.contracts_in_force_by_service(days=[m.last_day for m in months])
        for m in months:
            per_service = [counts.get((m.last_day, code), 0) for code in ServiceCode.values]
            yield (month_text(m), *per_service, sum(per_service))

    services = [Column(label, NUMBER) for label in ServiceCode.labels]
    return Section(
        "in_force_trend",
        _("In force, 12 months"),
        (Column(_("month"), TEXT), *services, Column(_("total"), NUMBER)),
        rows,
        lambda: len(months),
        Chart("line", _("Contracts in force by service, last 12 months"), tuple(range(1, len(services) + 1))),
    )


def _number(value: str):
    """A changed value as its cell: a count or an amount (stored as text beside names) becomes a number."""
    return int(value) if re.fullmatch(r"-?\d{1,15}", value or "") else value


def changes(month: Month) -> Section:
    queryset = selectors.contract_changes(month=month)
    fields = ("accepted_on", "contract__number", "contract__customer__name", "option__kind__name_ja")
    fields += ("option__kind__name_en", "kind", "old_value", "new_value", "fee")
    kinds = dict(ChangeKind.choices)

    def rows():
        for accepted_on, number, customer, option_ja, option_en, kind, old, new, fee in queryset.values_list(
            *fields
        ).iterator(chunk_size=CHUNK):
            option = localized(option_ja, option_en) if option_ja else ""
            yield accepted_on, number, customer, option, str(kinds.get(kind, kind)), _number(old), _number(new), fee

    columns = (
        Column(_("accepted on"), DATE),
        Column(_("contract number")),
        Column(_("customer")),
        Column(_("option")),
        Column(_("change")),
        Column(_("before")),
        Column(_("after")),
        Column(_("one-time fee (yen)"), YEN),
    )
    return Section("changes", _("Changed contracts"), columns, rows, queryset.count)


def figures(month: Month) -> list[Figure]:
    in_force = selectors.contracts_in_force(on=month.last_day).aggregate(n=Count("pk"), fees=Sum("monthly_fee_then"))
    new = selectors.contracts_accepted(month=month).count()
    ended = selectors.contracts_terminated(month=month).count()
    changed = selectors.contract_changes(month=month).aggregate(n=Count("pk"), fees=Sum("fee"))
    options = selectors.options_in_force(on=month.last_day).aggregate(n=Count("pk"), fees=Sum("monthly_fee_then"))
    return [
        Figure(_("Contracts in force at month end (monthly fees)"), in_force["n"], in_force["fees"] or 0),
        Figure(_("New contracts (accepted in the month)"), new),
        Figure(_("Ended contracts (last day of service in the month)"), ended),
        Figure(_("Changes accepted (one-time fees)"), changed["n"], changed["fees"] or 0),
        Figure(_("Options in force at month end (monthly fees)"), options["n"], options["fees"] or 0),
    ]


def provide(month: Month) -> tuple[list[Figure], list[Section]]:
    """The contracts' figures and sections of ``month``."""
    in_force = selectors.contracts_in_force(on=month.last_day)
    options = selectors.options_in_force(on=month.last_day)
    sections = [
        grouped(
            "in_force_by_item",
            _("In force by item"),
            in_force,
            service="service",
            kind="item",
            labels=(_("item"), _("number of contracts")),
        ),
        trend(month),
        contract_list("contracts_in_force", _("Contracts in force"), in_force),
        contract_list("new_contracts", _("New contracts"), selectors.contracts_accepted(month=month)),
        changes(month),
        ended(month),
        grouped(
            "options_by_service",
            _("Options by service"),
            options,
            service="kind__service",
            kind="kind",
            labels=(_("option"), _("number of options")),
        ),
    ]
    return figures(month), sections
