"""Parts that one app adds to another app's admin pages, so that the owner never imports the adder.

Contracts, for instance, adds its inline, its live-contract column and its "end related contract"
action to the customers' pages in ``ContractsConfig.ready()``; ``HistoryAdmin`` shows the parts
registered for its model. Billing adds confirmation notes (the early-termination settlement) to the
confirmation page of contracts' cancellation actions, which ``backoffice.actions`` shows.
``ready()`` runs after the admin is built, so the parts are read per request.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field


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


@dataclass
class Parts:
    """What other apps add to one model's admin: inlines, changelist columns, actions, confirmation notes."""

    inlines: list = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    actions: list[Callable] = field(default_factory=list)
    confirmation_notes: dict[str, list[ConfirmationNote]] = field(default_factory=lambda: defaultdict(list))

    def notes_for(self, action_name: str, objects: list, data: dict) -> list[Note]:
        """The notes the apps registered for ``action_name`` give on ``objects`` and the entered ``data``."""
        return [note for fn in self.confirmation_notes.get(action_name, ()) for note in fn(objects, data)]

    def annotate(self, queryset):
        """``queryset`` with the annotations the added columns show."""
        if not self.columns:
            return queryset
        return queryset.annotate(**{column.name: column.annotation() for column in self.columns})


class Actions(Sequence):
    """A model admin's own actions followed by those added for its model, read at each use."""

    def __init__(self, own: Sequence, added: list):
        self.own, self.added = own, added

    def __iter__(self) -> Iterator:
        yield from self.own
        yield from self.added

    def __len__(self) -> int:
        return len(self.own) + len(self.added)

    def __getitem__(self, index):
        return [*self][index]


_PARTS: dict[str, Parts] = defaultdict(Parts)


def parts_of(model) -> Parts:
    """The parts added to ``model``'s admin (a model class or instance)."""
    return _PARTS[model._meta.label_lower]


def _add_once(items: list, item) -> None:
    if item not in items:
        items.append(item)


def add_inline(model, inline) -> None:
    _add_once(parts_of(model).inlines, inline)


def add_column(model, column: Column) -> None:
    _add_once(parts_of(model).columns, column)


def add_action(model, action: Callable) -> None:
    _add_once(parts_of(model).actions, action)


def add_confirmation_note(model, action_name: str, note: ConfirmationNote) -> None:
    """Show ``note``'s notes on the confirmation page of ``model``'s action ``action_name``."""
    _add_once(parts_of(model).confirmation_notes[action_name], note)


__all__ = [
    "Actions",
    "Column",
    "ConfirmationNote",
    "Note",
    "Parts",
    "add_action",
    "add_column",
    "add_confirmation_note",
    "add_inline",
    "parts_of",
]
