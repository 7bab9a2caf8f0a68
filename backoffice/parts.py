"""Parts that one app adds to another app's admin pages, so that the owner never imports the adder.

Contracts, for instance, registers its inline, its live-contract column and its "end related contract"
action for the customers' pages in ``ContractsConfig.ready()`` (``backoffice.registry``: ``admin_inlines``,
``admin_columns``, ``admin_actions``, ``to=Customer``); ``HistoryAdmin`` shows the parts registered for its
model. Billing adds confirmation notes (the early-termination settlement) to the confirmation page of
contracts' cancellation actions (``confirmation_notes``, ``to=(Contract, "terminate")``), which
``backoffice.actions`` shows. ``ready()`` runs after the admin is built, so the parts are read per request.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .registry import registry


@dataclass(frozen=True)
class Column:
    """A changelist column: the value of an annotation, sortable by it.

    ``annotation`` builds the expression (a subquery keeps the list at a constant query count).
    """

    name: str
    label: str
    annotation: Callable

    def __call__(self, obj):
        return getattr(obj, self.name)

    @property
    def short_description(self):
        return self.label

    @property
    def admin_order_field(self):
        return self.name

    @property
    def __name__(self):
        return self.name


@dataclass(frozen=True)
class Note:
    """A note on an action's confirmation page: a sentence, and the lines that explain it."""

    text: str
    details: tuple[str, ...] = ()


#: ``note(objects, cleaned_data) -> list[Note]``: what an app tells staff about the selected rows
#: and the entered values before they confirm. It only reads.
ConfirmationNote = Callable[[list, dict], list[Note]]


@dataclass(frozen=True)
class Parts:
    """What other apps add to one model's admin (inlines, changelist columns, actions, confirmation notes),
    read from the registry at each use."""

    model: type

    @property
    def inlines(self) -> list:
        return registry.added_to("admin_inlines", self.model)

    @property
    def columns(self) -> list[Column]:
        return registry.added_to("admin_columns", self.model)

    @property
    def actions(self) -> list[Callable]:
        return registry.added_to("admin_actions", self.model)

    def notes_for(self, action_name: str, objects: list, data: dict) -> list[Note]:
        """The notes the apps registered for ``action_name`` give on ``objects`` and the entered ``data``."""
        notes: list[ConfirmationNote] = registry.added_to("confirmation_notes", (self.model, action_name))
        return [note for fn in notes for note in fn(objects, data)]

    def annotate(self, queryset):
        """``queryset`` with the annotations the added columns show."""
        if not self.columns:
            return queryset
        return queryset.annotate(**{column.name: column.annotation() for column in self.columns})


class Actions(Sequence):
    """A model admin's own actions followed by those added for its model, read at each use."""

    def __init__(self, own: Sequence, parts: Parts):
        self.own, self.parts = own, parts

    def __iter__(self) -> Iterator:
        yield from self.own
        yield from self.parts.actions

    def __len__(self) -> int:
        return len(self.own) + len(self.parts.actions)

    def __getitem__(self, index):
        return [*self][index]


def parts_of(model) -> Parts:
    """The parts added to ``model``'s admin (a model class or instance)."""
    return Parts(model._meta.model)


__all__ = ["Actions", "Column", "ConfirmationNote", "Note", "Parts", "parts_of"]
