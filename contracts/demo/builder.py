"""Writes one demo customer's rows: related contracts at once, contracts and options on a timeline.

Contracts and options are validated with ``full_clean`` (every rule of the terms) when created,
then moved only through the lifecycle and change services; every row names the demo user in
its history.
"""

import random
from datetime import date

from django.utils.translation import gettext as _

from contracts.choices import Status
from contracts.models import BandwidthArea, Contract, ContractOption, Item, OptionKind
from contracts.services import changes, lifecycle
from customers.choices import RelatedKind
from customers.models import Customer, RelatedContract

from .timeline import ACCEPT, BILL, CHANGE, CREATE, END, NOTICE, Story, Timeline


def save_as(obj, user, reason: str = ""):
    """Validate and save ``obj`` with ``user`` (and ``reason``) in its history.

    The rules run in ``clean()``; the constraints are left to the database, which enforces them
    anyway, because validating them in Python costs a query each.
    """
    obj.full_clean(validate_constraints=False)
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


class Row:
    """A contract or option that exists once the timeline reaches its application date."""

    def __init__(self, story: Story):
        self.story = story
        self.obj = None


def _resolve(fields: dict) -> dict:
    return {name: value.obj if isinstance(value, Row) else value for name, value in fields.items()}


class CustomerBuilder:
    def __init__(self, customer: Customer, services: list[str], rng: random.Random, user):
        self.customer, self.services, self.rng, self.user = customer, services, rng, user
        self.timeline = Timeline()
        self._related: dict[str, RelatedContract] = {}
        self._numbers = 0

    # Related contracts (関連契約): formed before any of our contracts, so created at once.
    def related(self, kind: str, started_on: date, *, shared: bool = True, **fields) -> RelatedContract:
        """The customer's related contract of ``kind``; ``shared=False`` always forms a new one."""
        if shared and kind in self._related:
            return self._related[kind]
        self._numbers += 1
        reference = f"{kind.upper().replace('_', '')[:6]}-{self.customer.code[1:]}-{self._numbers:02d}"
        if kind == RelatedKind.PBB:
            fields.setdefault("closed_network", f"CN{self.customer.code[1:]}{self._numbers:02d}")
        related = save_as(
            RelatedContract(customer=self.customer, kind=kind, reference=reference, started_on=started_on, **fields),
            self.user,
        )
        if shared:
            self._related[kind] = related
        return related

    def holds(self, kind: str) -> RelatedContract | None:
        return self._related.get(kind)

    # Contracts and options
    def contract(self, item: str, story: Story, *, accept_last: bool = False, **fields) -> Row:
        """A contract applied on ``story.applied_on``; ``accept_last`` accepts it after its children."""
        row = Row(story)
        self._numbers += 1
        number = f"{self.customer.code}-{self._numbers:02d}"

        def create():
            item_row = Item.objects.get(pk=item)
            contract = Contract(
                customer=self.customer,
                service_id=item_row.service_id,
                item=item_row,
                number=number,
                applied_on=story.applied_on,
                **_resolve(fields),
            )
            row.obj = save_as(contract, self.user, _("Applied (demo data)"))

        self.timeline.add(story.applied_on, CREATE, create)
        self._schedule(row, accept_last=accept_last)
        return row

    def bandwidth_areas(self, row: Row, areas: dict[str, int]) -> None:
        """ISP Platform bandwidth-limited: the per-area limits, entered right after the application."""

        def create():
            for area, mbps in areas.items():
                save_as(BandwidthArea(contract=row.obj, area=area, mbps=mbps), self.user)

        self.timeline.add(row.story.applied_on, CREATE, create)

    def option(self, contract: Row, kind: str, story: Story, **fields) -> Row:
        row = Row(story)

        def create():
            option = ContractOption(
                contract=contract.obj, kind=OptionKind.objects.get(pk=kind), applied_on=story.applied_on, **fields
            )
            row.obj = save_as(option, self.user, _("Applied (demo data)"))

        self.timeline.add(story.applied_on, CREATE, create)
        self._schedule(row)
        return row

    def during_service(self, row: Row, action) -> None:
        """Run ``action(obj, on)`` on a day while ``row`` is billed (before any notice), if it ever is."""
        story = row.story
        if story.billing_on is None or story.status not in (Status.ACTIVE, Status.CANCELLING, Status.TERMINATED):
            return
        first, last = story.billing_on.toordinal() + 20, story.live_until.toordinal() - 5
        if last < first:
            return
        on = date.fromordinal(self.rng.randint(first, last))
        self.timeline.add(on, CHANGE, lambda: action(row.obj, on))

    def change(self, row: Row, *, note: str, **fields) -> None:
        """A change of ``row`` accepted while in service; the catalog change fee is its one-time fee."""
        self.during_service(
            row, lambda obj, on: changes.accept_change(obj, on=on, by=self.user, note=note, **_resolve(fields))
        )

    def _schedule(self, row: Row, *, accept_last: bool = False) -> None:
        story, add, by = row.story, self.timeline.add, self.user
        if story.status == Status.WITHDRAWN:
            add(story.ended_on, END, lambda: lifecycle.withdraw(row.obj, by=by))
            return
        if story.accepted_on:
            add(
                story.accepted_on,
                ACCEPT,
                lambda: lifecycle.accept(row.obj, on=story.accepted_on, by=by),
                last=accept_last,
            )
        if story.billing_on:
            add(story.billing_on, BILL, lambda: lifecycle.start_billing(row.obj, on=story.billing_on, by=by))
        if story.notice_on:
            add(
                story.notice_on,
                NOTICE,
                lambda: lifecycle.register_notice(
                    row.obj, received_on=story.notice_on, requested_on=story.requested_on, by=by
                ),
            )
        if story.ended_on:
            add(
                story.ended_on,
                END,
                lambda: lifecycle.terminate(row.obj, on=story.ended_on, reason=story.reason, by=by),
            )

    def run(self) -> None:
        self.timeline.run()
