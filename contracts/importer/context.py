"""What one pass over the file knows: its keys, the rows created so far, the refusals and notes.

What the rows read again and again is read once per file (``Preloaded``): the catalog, and the
customers, contracts and related contracts the file names but does not create.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customers.models import Customer, RelatedContract

from ..models import Contract, Item, OptionKind
from ..trusted import Trusted
from .fields import text


def index_key(row) -> tuple:
    if row.kind == "related":
        return ("related", text(row.values.get("customer", "")), row.key)
    return (row.kind, row.key)


class Preloaded:
    """The catalog, and the database rows the file refers to without creating them, read in one query each.

    A row of the file may only name a row of the database that exists before the import starts; the
    import itself writes no catalog entry, so what is read here stays true for every pass.
    """

    def __init__(self, rows):
        self.items = {item.code: item for item in Item.objects.select_related("service")}
        self.kinds = {kind.code: kind for kind in OptionKind.objects.select_related("service")}
        named = {"customer": set(), "contract": set(), "related": set()}
        for row in rows:
            values = row.values
            named["customer"].add(text(values.get("customer", "")))
            named["contract"].update(text(values.get(name, "")) for name in ("contract", "parent", "standby_of"))
            if row.kind == "contract":
                named["contract"].add(text(values.get("number", "")))
            named["related"].add(text(values.get("related_contract" if row.kind == "contract" else "reference", "")))
        self.customers = {obj.code: obj for obj in Customer.objects.filter(code__in=named["customer"] - {""})}
        # With the numbers of the contracts the file creates: those already taken are checked as usual.
        self.contracts = {obj.number: obj for obj in Contract.objects.filter(number__in=named["contract"] - {""})}
        related = RelatedContract.objects.filter(reference__in=named["related"] - {""}).select_related("customer")
        self.related: dict[tuple[str, str], list[RelatedContract]] = {}
        for obj in related:
            self.related.setdefault((obj.customer.code, obj.reference), []).append(obj)


class Context:
    def __init__(self, rows, refused: dict[int, str], user, preloaded: Preloaded):
        self.user = user
        self.refused = refused  # row number → message
        self.preloaded = preloaded
        self.numbers = {index_key(row): row.number for row in reversed(rows)}  # first row of a key wins
        self.objects: dict[int, object] = {}
        self.companions: dict[int, list] = {}  # options a legacy contract brings (附則 2005-05-01)
        self.notes: dict[int, dict[str, None]] = {}  # ordered set per row
        self.done: dict[int, int] = {}  # row number → how many of its steps have run
        self.current_row: int | None = None
        self.current_on = date.min  # the day of the step being played
        # The objects (by ``id``) known to hold what the database holds: those created in this pass, and
        # those read again since a step that may have changed them (one that ends or changes other rows,
        # or fails halfway). A row of the database is read again on its first use in a pass: an earlier
        # pass, rolled back, may have changed the object.
        self.fresh: set[int] = set()
        self.shared: dict[tuple, object] = {}  # (model, pk) → the one object of that row in this pass
        self.written: set[int] = set()  # the objects (by ``id``) whose rows this pass inserted
        # What the pass vouches for, passed to every service it calls that takes it (``contracts.trusted``).
        self.trusted = Trusted(self.written, preloaded.contracts)
        for entry in [*preloaded.items.values(), *preloaded.kinds.values()]:
            self.shared[(type(entry), entry.pk)] = entry  # the import writes no catalog entry
            self.fresh.add(id(entry))

    def note(self, row, message: str) -> None:
        self.notes.setdefault(row.number, {})[message] = None

    def created(self, number: int | None, obj) -> None:
        """Keep ``obj``, just saved (``number``: the row that created it, if not a companion)."""
        if number is not None:
            self.objects[number] = obj
        self.fresh.add(id(obj))
        self.written.add(id(obj))
        self.shared[(type(obj), obj.pk)] = obj

    def forget_fresh(self) -> None:
        self.fresh.clear()

    def current(self, obj):
        """``obj``, read again if a step since may have changed it.

        The rows it points to are this pass's objects of those rows, current too: every object of a
        row is the same one, so a step that moves a row is seen through every reference to it.
        """
        if id(obj) in self.fresh:
            return obj
        obj.refresh_from_db()
        self.fresh.add(id(obj))
        self.shared.setdefault((type(obj), obj.pk), obj)
        for field in obj._meta.concrete_fields:
            target = field.is_relation and self.shared.get((field.related_model, getattr(obj, field.attname)))
            if target:
                field.set_cached_value(obj, self.current(target))
        return obj

    def _find(self, field: str, index_key: tuple, key: str, found):
        """A row of this file (once created on its date) or, when the file has none, one in the database."""
        number = self.numbers.get(index_key)
        if number is None:
            if found is None:
                raise ValidationError({field: _("“%(key)s” is not in the file or the database.") % {"key": key}})
            return self.current(found)
        if number in self.refused:
            message = _("“%(key)s” (row %(row)s) was refused.")
        elif number not in self.objects:
            message = _("“%(key)s” (row %(row)s) was not created by this date (see that row).")
        else:
            return self.current(self.objects[number])
        raise ValidationError({field: message % {"key": key, "row": number}})

    def customer(self, code: str) -> Customer:
        return self._find("customer", ("customer", code), code, self.preloaded.customers.get(code))

    def contract(self, number: str, field: str) -> Contract:
        return self._find(field, ("contract", number), number, self.preloaded.contracts.get(number))

    def related(self, customer: Customer, reference: str) -> RelatedContract:
        candidates = self.preloaded.related.get((customer.code, reference), [])
        found = candidates[0] if len(candidates) == 1 else None
        return self._find("related_contract", ("related", customer.code, reference), reference, found)

    def item(self, code: str) -> Item | None:
        return self.preloaded.items.get(code)

    def option_kind(self, code: str) -> OptionKind | None:
        return self.preloaded.kinds.get(code)
