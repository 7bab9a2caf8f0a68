"""A customer's timeline: every dated event of its contracts, options and related contracts, and
every recorded edit (who changed what, when), in date order.

Events come from *sources*, functions ``customer -> iterable of Event`` registered with
``@timeline_source``; later apps (equipment, billing, SLA) register their own. A source runs a
fixed number of queries whatever the number of rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer, RelatedContract

from .models import Contract, ContractChange, ContractOption


@dataclass(frozen=True)
class Event:
    on: date
    kind: str
    subject: str
    text: str = ""
    url: str = ""
    #: The exact time of a recorded edit; dated events without one sort first within their day.
    at: datetime | None = None

    @property
    def sort_key(self):
        return (self.on, self.at.timestamp() if self.at else float("-inf"))


Source = Callable[[Customer], Iterable[Event]]
SOURCES: list[Source] = []


def timeline_source(func: Source) -> Source:
    """Register ``func`` as a source of timeline events."""
    SOURCES.append(func)
    return func


def customer_timeline(customer: Customer) -> list[Event]:
    """All events of ``customer`` from every source, oldest first (stable within a day)."""
    return sorted((event for source in SOURCES for event in source(customer)), key=lambda e: e.sort_key)


def display_value(field, value) -> str:
    """A stored value as staff read it: choice labels, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if field is not None and field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def record_changes(record, previous, *, foreign_keys_are_objs=False) -> list[tuple[str, str, str]]:
    """``(field label, old, new)`` for what ``record`` changed against ``previous`` (same object's history).

    ``diff_against`` compares the editable fields only, so the computed ones (effective end,
    minimum-period end) are compared here too.
    """
    model = record.instance_type
    delta = record.diff_against(previous, foreign_keys_are_objs=foreign_keys_are_objs)
    changes = [(change.field, change.old, change.new) for change in delta.changes]
    for field in record.tracked_fields:
        if field.editable or field.primary_key:
            continue
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old != new:
            changes.append((field.name, old, new))
    rows = []
    for name, old, new in changes:
        field = model._meta.get_field(name)
        rows.append((capfirst(field.verbose_name), display_value(field, old), display_value(field, new)))
    return rows


def _yen(amount: int) -> str:
    return _("%(amount)s yen") % {"amount": number_format(amount, force_grouping=True)}


LIFECYCLE_DATES = (
    ("applied_on", gettext_lazy("Applied")),
    ("accepted_on", gettext_lazy("Accepted")),
    ("billing_start_on", gettext_lazy("Billing started")),
    ("notice_received_on", gettext_lazy("Cancellation notice received")),
    ("effective_end_on", gettext_lazy("Cancellation takes effect")),
    ("terminated_on", gettext_lazy("Terminated")),
)


def _lifecycle_events(row, subject: str) -> Iterable[Event]:
    url = row.get_absolute_url()
    for name, kind in LIFECYCLE_DATES:
        day = getattr(row, name)
        if not day:
            continue
        text = ""
        if name == "accepted_on":
            text = _("initial fee %(initial)s, monthly fee %(monthly)s") % {
                "initial": _yen(row.initial_fee or 0),
                "monthly": _yen(row.monthly_fee or 0),
            }
        elif name == "notice_received_on" and row.requested_end_on:
            text = _("requested end %(date)s") % {"date": row.requested_end_on}
        elif name == "terminated_on":
            text = row.get_termination_reason_display()
        yield Event(day, str(kind), subject, text, url)


@timeline_source
def contract_events(customer):
    for contract in Contract.objects.filter(customer=customer).select_related("item"):
        yield from _lifecycle_events(contract, str(contract))


@timeline_source
def option_events(customer):
    for option in ContractOption.objects.filter(contract__customer=customer).select_related("contract", "kind"):
        yield from _lifecycle_events(option, str(option))


@timeline_source
def change_events(customer):
    changes = ContractChange.objects.filter(contract__customer=customer).select_related(
        "contract", "option__contract", "option__kind"
    )
    for change in changes:
        subject = str(change.option) if change.option else change.contract.number
        text = _("%(kind)s: %(old)s → %(new)s, one-time fee %(fee)s") % {
            "kind": change.get_kind_display(),
            "old": change.old_value or "—",
            "new": change.new_value or "—",
            "fee": _yen(change.fee),
        }
        if change.restarts_min_period:
            text += " " + _("(minimum period restarted)")
        url = reverse("admin:contracts_contractchange_change", args=[change.pk])
        yield Event(change.accepted_on, _("Change accepted"), subject, text, url)


@timeline_source
def related_contract_events(customer):
    for related in RelatedContract.objects.filter(customer=customer):
        url = reverse("admin:customers_relatedcontract_change", args=[related.pk])
        subject = f"{related.get_kind_display()} {related.reference}".strip()
        yield Event(related.started_on, _("Related contract formed"), subject, "", url)
        if related.ended_on:
            yield Event(related.ended_on, _("Related contract ended"), subject, "", url)


def _history_events(model, records, label: Callable) -> Iterable[Event]:
    """One event per history record, with the fields it changed against the previous version."""
    previous = {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        previous[record.id] = record
        parts = [f"{field}: {old} → {new}" for field, old, new in (record_changes(record, before) if before else [])]
        if record.history_change_reason:
            parts.append(_("reason: %(reason)s") % {"reason": record.history_change_reason})
        who = record.history_user.get_username() if record.history_user else _("system")
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.id])
        yield Event(
            on=timezone.localdate(record.history_date),
            kind=_("%(type)s by %(user)s") % {"type": record.get_history_type_display(), "user": who},
            subject=label(record),
            text="; ".join(parts),
            url=url,
            at=record.history_date,
        )


@timeline_source
def history_events(customer):
    yield from _history_events(Customer, Customer.history.filter(id=customer.pk), lambda r: str(r.name))
    yield from _history_events(
        RelatedContract,
        RelatedContract.history.filter(customer_id=customer.pk),
        lambda r: f"{r.get_kind_display()} {r.reference}".strip(),
    )
    yield from _history_events(Contract, Contract.history.filter(customer_id=customer.pk), lambda r: r.number)
    yield from _history_events(
        ContractOption,
        ContractOption.history.filter(contract__customer_id=customer.pk).select_related("contract", "kind"),
        lambda r: f"{r.contract.number} / {r.kind}",
    )
