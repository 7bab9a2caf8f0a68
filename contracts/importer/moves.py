"""The steps that bring a row to the state its dates describe, each through the services.

Every row becomes dated steps (create on the application date, accept, start billing, register a
notice, terminate or withdraw; a related contract ends through ``end_related_contract``; a change
row is one step on its acceptance date). The runner plays all steps of the file in date order, so
each rule sees the world as it stood on that day.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text

from ..choices import LIVE_STATUSES, Status, TerminationReason
from ..models import ContractOption
from ..services import lifecycle
from ..services.changes import accept_change
from ..services.managed_router import record_equipment_change
from ..services.related import end_related_contract
from .fields import CHANGED
from .records import CREATE

#: Order of the steps of one day: created before accepted, billed, changed, noticed; contracts end
#: before the related contracts they need.
ACTIONS = ("create", "accept", "bill", "change", "notice", "end", "withdraw", "end_related")
LABELS = {
    "accept": gettext_lazy("acceptance"),
    "bill": gettext_lazy("billing start"),
    "change": gettext_lazy("change"),
    "notice": gettext_lazy("cancellation notice"),
    "end": gettext_lazy("termination"),
    "withdraw": gettext_lazy("withdrawal"),
    "end_related": gettext_lazy("end"),
}
#: Steps that may write rows other than their own (ends with what ends with them, changes): after one,
#: every object of the pass is read again before its next use.
MOVES_OTHERS = ("change", "end", "end_related")
#: Steps that write their one row after every rule passed, without a savepoint (the lifecycle moves'
#: ``_one_write`` given the import's ``trusted``): refused by a rule, such a step wrote nothing; refused by the
#: database, it leaves the pass unfinished, played again without its row.
ONE_WRITE = ("create", "accept", "bill", "notice", "withdraw")
#: Steps that are one call of a service in a transaction of its own (a savepoint in the file's):
#: refused, such a step leaves nothing behind.
ONE_CALL = ("end", "end_related")
#: The column holding the date of each dated step.
DATE_COLUMN = {
    "accept": "accepted_on",
    "bill": "billing_start_on",
    "notice": "notice_received_on",
    "end": "terminated_on",
    "withdraw": "withdrawn_on",
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
        return f"{LABELS[self.action]} {date_text(self.on)}" if self.action in LABELS else ""

    def needs_savepoint(self, ctx) -> bool:
        """Whether a refusal may come after the step wrote something (it then needs its own savepoint).

        A row is created by one write after its rules ran, unless it brings areas or legacy options;
        a move writes its one row after its rules ran, or is one call of a service, unless it moves
        companions too.
        """
        if self.action == "create":
            return "areas" in self.row.values or "legacy_type" in self.row.values
        return self.action not in (*ONE_WRITE, *ONE_CALL) or bool(ctx.companions.get(self.row.number))


def plan(row: Row) -> list[Step]:
    """The row's steps in order; customers and related contracts exist before any dated step."""
    if row.kind == "change":
        return [Step(row, 0, row.values["accepted_on"], "change")]
    created_on = row.values.get("applied_on", date.min)
    actions = ["create"] + [action for action, column in DATE_COLUMN.items() if column in row.values]
    return [
        Step(row, index, created_on if action == "create" else row.values[DATE_COLUMN[action]], action)
        for index, action in enumerate(actions)
    ]


def perform(ctx, step: Step) -> None:
    row, by, trusted = step.row, ctx.user, ctx.trusted
    if step.action == "create":
        ctx.created(row.number, CREATE[row.kind](ctx, row))
        return
    if step.action == "change":
        _change(ctx, row, step.on)
        return
    obj = ctx.current(ctx.objects[row.number])
    values = row.values
    companions = [ctx.current(option) for option in ctx.companions.get(row.number, [])]
    if step.action == "accept":
        fees = {"initial_fee": values.get("initial_fee"), "monthly_fee": values.get("monthly_fee")}
        lifecycle.accept(obj, on=step.on, by=by, trusted=trusted, **fees)
        for option in companions:
            lifecycle.accept(option, on=step.on, by=by, trusted=trusted)
    elif step.action == "bill":
        lifecycle.start_billing(obj, on=step.on, by=by, trusted=trusted)
        for option in companions:
            lifecycle.start_billing(option, on=step.on, by=by, trusted=trusted)
    elif step.action == "notice":
        requested_on = values.get("requested_end_on")
        lifecycle.register_notice(obj, received_on=step.on, requested_on=requested_on, by=by, trusted=trusted)
    elif step.action == "withdraw":
        lifecycle.withdraw(obj, by=by, trusted=trusted)
    elif step.action == "end_related":
        end_related_contract(obj, on=step.on, by=by)
    elif obj.status == Status.TERMINATED and obj.terminated_on == step.on:
        ctx.note(row, _("already ended on %(date)s with what it depends on") % {"date": date_text(step.on)})
    else:
        reason = values.get("termination_reason", TerminationReason.CUSTOMER_REQUEST)
        lifecycle.terminate(obj, on=step.on, reason=reason, by=by, trusted=trusted)


def _change(ctx, row: Row, on: date) -> None:
    """A change accepted on ``on``: of the contract, or of its one live option of kind ``option``."""
    values, by = row.values, ctx.user
    contract = ctx.contract(values["contract"], "contract")
    target = contract
    if "option" in values:
        options = list(
            ContractOption.objects.filter(contract=contract, kind=values["option"], status__in=LIVE_STATUSES)
        )
        if len(options) != 1:
            raise ValidationError(
                {
                    "option": _("%(contract)s has no single live option “%(kind)s”.")
                    % {"contract": contract.number, "kind": values["option"]}
                }
            )
        target = options[0]
    note, fee = values.get("note", ""), values.get("fee")
    if values.get("equipment"):
        record_equipment_change(contract, on=on, by=by, fee=fee, note=note)
    fields = {"item_id" if name == "item" else name: values[name] for name in CHANGED if name in values}
    if fields:
        prices = {"monthly_fee": values.get("monthly_fee")}
        accept_change(target, on=on, by=by, note=note, fee=fee, prices=prices, **fields)
