"""Range filters for the searches 電子帳簿保存法 asks of data kept electronically: a transaction date
from–to and an amount from–to, combinable with each other, the counterparty search and every filter."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from backoffice.dates import parse_date
from outbox.choices import MessageState


class RangeFilter(admin.ListFilter):
    """``<field>__gte`` and ``<field>__lte`` typed into two boxes; a bad value is a bad filter (the list says so)."""

    template = "admin/receivables/range_filter.html"
    field = ""
    input_type = "number"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for bound in ("gte", "lte"):
            name = f"{self.field}__{bound}"
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value
        self.request_params = request.GET

    def parse(self, text: str):
        text = text.replace(",", "").strip()
        if not text.lstrip("-").isdigit() or len(text) > 13:
            raise IncorrectLookupParameters(text)
        return int(text)

    def has_output(self):
        return True

    def expected_parameters(self):
        return [f"{self.field}__gte", f"{self.field}__lte"]

    def queryset(self, request, queryset):
        lookups = {name: self.parse(value) for name, value in self.used_parameters.items() if value.strip()}
        return queryset.filter(**lookups) if lookups else queryset

    def choices(self, changelist):
        """The other parameters of the list, kept as hidden fields of the filter's form."""
        kept = [(k, v) for k, v in self.request_params.items() if k not in self.expected_parameters()]
        yield {
            "kept": kept,
            "field": self.field,
            "input_type": self.input_type,
            "low": self.used_parameters.get(f"{self.field}__gte", ""),
            "high": self.used_parameters.get(f"{self.field}__lte", ""),
        }


class DateRangeFilter(RangeFilter):
    input_type = "date"

    def parse(self, text: str):
        day = parse_date(text)
        if day is None:
            raise IncorrectLookupParameters(text)
        return day


def range_filter(field: str, title, kind=RangeFilter):
    return type(f"{field.title()}RangeFilter", (kind,), {"field": field, "title": title})


AMOUNT = range_filter("amount", _("amount (yen) from–to"))
TOTAL = range_filter("total", _("total (yen) from–to"))
RECEIVED_ON = range_filter("received_on", _("received from–to"), DateRangeFilter)
ISSUED_ON = range_filter("issued_on", _("issued from–to"), DateRangeFilter)


class MailStateFilter(admin.SimpleListFilter):
    """Where a row's e-mail stands in the outbox; "not sent" counts the rows waiting for an address too."""

    title = _("e-mail")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return MessageState.choices

    def queryset(self, request, queryset):
        if self.value() == MessageState.FAILED:
            return queryset.unsent()
        if self.value() in MessageState.values:
            return queryset.filter(message__state=self.value())
        return queryset
