"""What a caller that keeps its objects current vouches for, handed openly to the services that use it.

The import alone writes in its transaction and keeps every object it moves, and the rows they point to,
as the database holds them. Given its ``Trusted``, a lifecycle move works on the object given instead of
reading its row again and takes no savepoint, and ``full_clean`` neither reads again a related row the
object holds nor asks whether a unique value is free when the database tells it anyway. A caller that
passes none has every row read and checked, as a related row may have changed since it read it (an
abolition marks the catalog).
"""

from collections.abc import Container
from dataclasses import dataclass


@dataclass(frozen=True)
class Trusted:
    #: The ``id`` of each object whose row the caller's transaction inserted, added to as it writes: that
    #: row is locked until the transaction ends, and a move works on a copy of the object.
    written: Container[int] = frozenset()
    #: Of the contract numbers the caller creates, those it read taken when it began (checked as usual).
    numbers_taken: Container[str] = frozenset()

    def wrote(self, obj) -> bool:
        """Whether the caller's transaction inserted the row of ``obj``."""
        return id(obj) in self.written

    def leaves_unique_to_database(self, obj) -> bool:
        """Whether ``full_clean`` may leave ``obj``'s unique values and unique constraints to the database.

        A saved row's number is its own, and a new row's number was read free when the caller began (one
        read per file): the database refuses a number taken since, and ``backoffice.integrity`` tells that
        refusal in ``full_clean``'s words. A unique constraint is backed by a rule that reads first (one
        Smart HUB per closed network, Smart HUB art. 3). An option has no unique value of its own.
        """
        return not obj._state.adding or getattr(obj, "number", "") not in self.numbers_taken

    def saved_relations(self, obj) -> set[str]:
        """The foreign keys of ``obj`` holding a saved row that the caller gave it.

        That row exists, so ``full_clean`` need not read it again to know (its ``SELECT 1`` per relation
        was a third of an import's queries); the database's foreign key still guards the write.
        """
        names = set()
        for field in obj._meta.concrete_fields:
            if not (field.is_relation and field.is_cached(obj)):
                continue
            target = field.get_cached_value(obj)
            held = target is not None and not target._state.adding
            if held and getattr(target, field.target_field.attname) == getattr(obj, field.attname):
                names.add(field.name)
        return names
