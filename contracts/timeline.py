"""The contracts' events on the customer timeline: lifecycle dates of contracts and options, accepted
changes with their fees, and the recorded edits. Added to ``backoffice.timeline`` in ``ready()``."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text, yen
from backoffice.timeline import Event, history_events, needs

from .models import Contract, ContractChange, ContractOption

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
                "initial": yen(row.initial_fee or 0),
                "monthly": yen(row.monthly_fee or 0),
            }
        elif name == "notice_received_on" and row.requested_end_on:
            text = _("requested end %(date)s") % {"date": date_text(row.requested_end_on)}
        elif name == "terminated_on":
            text = row.get_termination_reason_display()
        yield Event(day, str(kind), subject, text, url)


@needs("contracts.view_contract")
def contract_events(customer):
    for contract in Contract.objects.filter(customer=customer).select_related("item"):
        yield from _lifecycle_events(contract, str(contract))


@needs("contracts.view_contractoption")
def option_events(customer):
    for option in ContractOption.objects.filter(contract__customer=customer).select_related("contract", "kind"):
        yield from _lifecycle_events(option, str(option))


@needs("contracts.view_contractchange")
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
            "fee": yen(change.fee),
        }
        if change.restarts_min_period:
            text += " " + _("(minimum period restarted)")
        url = reverse("admin:contracts_contractchange_change", args=[change.pk])
        yield Event(change.accepted_on, _("Change accepted"), subject, text, url)


@needs("contracts.view_contract")
def contract_history_events(customer):
    yield from history_events(Contract, Contract.history.filter(customer_id=customer.pk), lambda r: r.number)


@needs("contracts.view_contractoption")
def option_history_events(customer):
    yield from history_events(
        ContractOption,
        ContractOption.history.filter(contract__customer_id=customer.pk).select_related("contract", "kind"),
        lambda r: f"{r.contract.number} / {r.kind}",
    )


SOURCES = (contract_events, option_events, change_events, contract_history_events, option_history_events)
