"""Parts that one app adds to another app's admin pages, so that the owner never imports the adder.

Contracts, for instance, adds its inline, its live-contract column and its "end related contract"
action to the customers' pages in ``ContractsConfig.ready()``; ``HistoryAdmin`` shows the parts
registered for its model. ``ready()`` runs after the admin is built, so the parts are read per request.
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


@dataclass
class Parts:
    """What other apps add to one model's admin: inlines, changelist columns, actions."""

    inlines: list = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    actions: list[Callable] = field(default_factory=list)

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


__all__ = ["Actions", "Column", "Parts", "add_action", "add_column", "add_inline", "parts_of"]
