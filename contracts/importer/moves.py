"""The steps that bring a row to the state its dates describe, each through the services.

Every row becomes dated steps (create on the application date, accept, start billing, register a
notice, terminate; a related contract ends through ``end_related_contract``). The runner plays all
steps of the file in date order, so each rule sees the world as it stood on that day.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import Status, TerminationReason
from ..services import lifecycle
from ..services.related import end_related_contract
from .records import CREATE

#: Order of the steps of one day: created before accepted, billed, noticed; contracts end before
#: the related contracts they need.
ACTIONS = ("create", "accept", "bill", "notice", "end", "end_related")
LABELS = {
    "accept": gettext_lazy("acceptance"),
    "bill": gettext_lazy("billing start"),
    "notice": gettext_lazy("cancellation notice"),
    "end": gettext_lazy("termination"),
    "end_related": gettext_lazy("end"),
}
#: The column holding the date of each dated step.
DATE_COLUMN = {
    "accept": "accepted_on",
    "bill": "billing_start_on",
    "notice": "notice_received_on",
    "end": "terminated_on",
    "end_related": "ended_on",
}


@dataclass(frozen=True)
class Row:
    number: int
    kind: str
    key: str
    values: dict


@dataclass(frozen=True)
class Step:
    row: Row
    index: int  # position among the row's steps: a step runs only after the ones before it
    on: date
    action: str

    @property
    def sort_key(self):
        return (self.on, ACTIONS.index(self.action), self.row.number)

    def describe(self) -> str:
        return f"{LABELS[self.action]} {self.on}" if self.action in LABELS else ""


def plan(row: Row) -> list[Step]:
    """The row's steps in order; customers and related contracts exist before any dated step."""
    created_on = row.values.get("applied_on", date.min)
    actions = ["create"] + [action for action, column in DATE_COLUMN.items() if column in row.values]
    return [
        Step(row, index, created_on if action == "create" else row.values[DATE_COLUMN[action]], action)
        for index, action in enumerate(actions)
    ]


def perform(ctx, step: Step) -> None:
    row, by = step.row, ctx.user
    if step.action == "create":
        ctx.objects[row.number] = CREATE[row.kind](ctx, row)
        return
    obj = ctx.objects[row.number]
    obj.refresh_from_db()
    values = row.values
    companions = ctx.companions.get(row.number, [])
    if step.action == "accept":
        lifecycle.accept(
            obj, on=step.on, by=by, initial_fee=values.get("initial_fee"), monthly_fee=values.get("monthly_fee")
        )
        for option in companions:
            lifecycle.accept(option, on=step.on, by=by)
    elif step.action == "bill":
        lifecycle.start_billing(obj, on=step.on, by=by)
        for option in companions:
            lifecycle.start_billing(option, on=step.on, by=by)
    elif step.action == "notice":
        lifecycle.register_notice(obj, received_on=step.on, requested_on=values.get("requested_end_on"), by=by)
    elif step.action == "end_related":
        end_related_contract(obj, on=step.on, by=by)
    elif obj.status == Status.TERMINATED and obj.terminated_on == step.on:
        ctx.note(row, _("already ended on %(date)s with what it depends on") % {"date": step.on})
    else:
        reason = values.get("termination_reason", TerminationReason.CUSTOMER_REQUEST)
        lifecycle.terminate(obj, on=step.on, reason=reason, by=by)
