"""The range a number lies in (docs/decisions.md, "Input ranges"), and the ranges several apps share.

Each range gives the model field its validators (forms and ``full_clean`` refuse a value outside
it, on the field) and the named check constraint the database enforces, and the action forms
build their number fields from it: one declaration per kind of number. An app declares its own
ranges in its ``models/ranges.py``.
"""

from dataclasses import dataclass

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from backoffice.constraints import Check
from backoffice.display import YenFormField


@dataclass(frozen=True)
class Range:
    low: int
    high: int
    money: bool = False

    @property
    def validators(self) -> list:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    def form_field(self, label, *, required: bool = False, help_text="") -> forms.IntegerField:
        field_class = YenFormField if self.money else forms.IntegerField
        return field_class(label=label, required=required, min_value=self.low, max_value=self.high, help_text=help_text)

    def constraint(self, field: str) -> Check:
        """``%(app_label)s_%(class)s_<field>_range``; NULL passes (an optional number left empty)."""
        return Check(
            condition=Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high}),
            name=f"%(app_label)s_%(class)s_{field}_range",
            field=field,
            violation_error_message=format_lazy(
                _("The %(field)s must lie between {low} and {high}."), low=f"{self.low:,}", high=f"{self.high:,}"
            ),
        )


#: Any amount in yen: list prices, agreed fees, one-time fees, charges (under one billion yen).
YEN = Range(0, 999_999_999, money=True)
#: Routers lent under one router rental option (ISP Platform art. 7), and those one charge counts.
UNITS = Range(1, 1_000)
