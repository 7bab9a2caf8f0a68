"""Writes one demo customer as import rows (docs/import.md): the customer, its related contracts,
its contracts and options with the dates of their stories, and the changes accepted while in service.

Nothing is saved here: the importer plays the rows through the lifecycle and change services, so
the demo obeys every rule of the terms exactly as an import or the admin does.
"""

import random
from dataclasses import dataclass
from datetime import date

from customers.choices import RelatedKind

from .stories import Story


@dataclass(frozen=True)
class Planned:
    """A contract (``kind`` None) or an option of contract ``number``, as scenarios refer to it."""

    number: str
    story: Story
    kind: str | None = None


class CustomerRows:
    def __init__(self, customer: dict, services: list[str], rng: random.Random):
        self.code, self.name, self.services, self.rng = customer["code"], customer["name"], services, rng
        self.rows: list[tuple[str, dict]] = [("customer", customer)]
        self._related: dict[str, dict] = {}
        self._numbers = 0

    # Related contracts (関連契約): formed before any of our contracts.
    def related(self, kind: str, started_on: date, *, shared: bool = True, **fields) -> dict:
        """The customer's related contract of ``kind``; ``shared=False`` always forms a new one."""
        if shared and kind in self._related:
            return self._related[kind]
        self._numbers += 1
        reference = f"{kind.upper().replace('_', '')[:6]}-{self.code[1:]}-{self._numbers:02d}"
        if kind == RelatedKind.PBB:
            fields.setdefault("closed_network", f"CN{self.code[1:]}{self._numbers:02d}")
        related = {"reference": reference, "customer": self.code, "kind": kind, "started_on": started_on, **fields}
        self.rows.append(("related", related))
        if shared:
            self._related[kind] = related
        return related

    def holds(self, kind: str) -> dict | None:
        return self._related.get(kind)

    # Contracts, options and their changes
    def contract(self, item: str, story: Story, **fields) -> Planned:
        self._numbers += 1
        number = f"{self.code}-{self._numbers:02d}"
        self.rows.append(
            ("contract", {"number": number, "customer": self.code, "item": item, **story.columns(), **fields})
        )
        return Planned(number, story)

    def option(self, contract: Planned, kind: str, story: Story, **fields) -> Planned:
        self.rows.append(("option", {"contract": contract.number, "kind": kind, **story.columns(), **fields}))
        return Planned(contract.number, story, kind)

    def change(self, row: Planned, **values) -> None:
        """A change of ``row`` accepted on a day while it is billed (before any notice), if it ever is.

        ``values`` are the columns of a change row: the new values, or ``equipment=True``, and a note.
        """
        story = row.story
        if story.billing_on is None:
            return
        first, last = story.billing_on.toordinal() + 20, story.live_until.toordinal() - 5
        if last < first:
            return
        on = date.fromordinal(self.rng.randint(first, last))
        target = {"contract": row.number} | ({"option": row.kind} if row.kind else {})
        self.rows.append(("change", {**target, "accepted_on": on, **values}))
