"""What one pass over the file knows: its keys, the rows created so far, the refusals and notes."""

from datetime import date

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from customers.models import Customer, RelatedContract

from ..models import Contract
from .fields import text


def index_key(row) -> tuple:
    if row.kind == "related":
        return ("related", text(row.values.get("customer", "")), row.key)
    return (row.kind, row.key)


class Context:
    def __init__(self, rows, refused: dict[int, str], user):
        self.user = user
        self.refused = refused  # row number → message
        self.numbers = {index_key(row): row.number for row in reversed(rows)}  # first row of a key wins
        self.objects: dict[int, object] = {}
        self.companions: dict[int, list] = {}  # options a legacy contract brings (附則 2005-05-01)
        self.notes: dict[int, dict[str, None]] = {}  # ordered set per row
        self.done: dict[int, int] = {}  # row number → how many of its steps have run
        self.current_row: int | None = None
        self.current_on = date.min  # the day of the step being played

    def note(self, row, message: str) -> None:
        self.notes.setdefault(row.number, {})[message] = None

    def _find(self, field: str, index_key: tuple, key: str, fetch):
        """A row of this file (once created on its date) or, when the file has none, one in the database."""
        number = self.numbers.get(index_key)
        if number is None:
            try:
                return fetch()
            except (ObjectDoesNotExist, MultipleObjectsReturned):
                raise ValidationError(
                    {field: _("“%(key)s” is not in the file or the database.") % {"key": key}}
                ) from None
        if number in self.refused:
            message = _("“%(key)s” (row %(row)s) was refused.")
        elif number not in self.objects:
            message = _("“%(key)s” (row %(row)s) was not created by this date (see that row).")
        else:
            obj = self.objects[number]
            obj.refresh_from_db()
            return obj
        raise ValidationError({field: message % {"key": key, "row": number}})

    def customer(self, code: str) -> Customer:
        return self._find("customer", ("customer", code), code, lambda: Customer.objects.get(code=code))

    def contract(self, number: str, field: str) -> Contract:
        return self._find(field, ("contract", number), number, lambda: Contract.objects.get(number=number))

    def related(self, customer: Customer, reference: str) -> RelatedContract:
        return self._find(
            "related_contract",
            ("related", customer.code, reference),
            reference,
            lambda: RelatedContract.objects.get(customer=customer, reference=reference),
        )
