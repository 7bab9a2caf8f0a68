"""The month picker of the dashboard and of the download."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.months import MonthField, last_month

from .writers import FORMATS


class ReportForm(forms.Form):
    month = MonthField(label=_("month"), max_length=7, help_text=_("YYYY-MM"))
    format = forms.ChoiceField(label=_("format"), choices=[(fmt, fmt) for fmt in FORMATS], required=False)

    def clean_format(self):
        return self.cleaned_data.get("format") or FORMATS[0]

    @classmethod
    def from_query(cls, query) -> "ReportForm":
        """The form bound to the query string, the last month when none is given."""
        return cls(query if "month" in query else {"month": str(last_month()), **query.dict()})


__all__ = ["ReportForm", "last_month"]
