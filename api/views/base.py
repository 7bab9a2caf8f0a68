"""What every endpoint of the API shares: a read-only list and row with filters and cursor pages, the
row's ETag, and the one way an action writes (through a domain service, under ``If-Match``, idempotent)."""

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import viewsets
from rest_framework.response import Response

from backoffice.moves import lock

from ..etags import check_if_match, etag_of
from ..idempotency import HEADER, idempotent

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The row's ETag, as its last read answered it: a change made meanwhile answers 412.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string: a retry with the same key replays the first answer instead of acting twice.",
)


#: The whole numbers a database column holds (64 bits): a row's id or amount is never beyond them, and SQLite
#: cannot even compare a number beyond them to a foreign key (a server error, where a refusal is due).
INT64 = {"type": "integer", "format": "int64", "minimum": -(2**63), "maximum": 2**63 - 1}


@extend_schema_field(INT64)
class IntegerFilter(filters.NumberFilter):
    """A whole number (yen, an invoice's number, an id): ``0.5`` is refused, where a NumberFilter reads a
    decimal, and so is a number no column holds."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=INT64["minimum"], max_value=INT64["maximum"], **kwargs)


class KeyFilter(IntegerFilter):
    """A foreign key by its id: an id no row has lists nothing, as any other filter matching no row does,
    where django-filter's choice of a row answered 400 (and looked the row up first)."""


class FilterSet(filters.FilterSet):
    """The base of every list's filters: an integer field filters by a whole number (``IntegerFilter``), a foreign
    key by id (``KeyFilter``), and a filter given a value it cannot read is refused (400), where django-filter
    drops it: ``?isp_business=null`` or ``?created_before=`` would list every row as if it matched (an empty
    text is a text, and filters nothing)."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        **{
            field: {"filter_class": IntegerFilter}
            for field in filters.FilterSet.FILTER_DEFAULTS
            if issubclass(field, models.IntegerField)
        },
        models.ForeignKey: {"filter_class": KeyFilter},
        models.OneToOneField: {"filter_class": KeyFilter},
    }

    def is_valid(self):
        if not super().is_valid():
            return False
        for name, value in list(self.form.cleaned_data.items()):
            if name in self.data and value in (None, [], ()):
                self.form.add_error(name, _("Not a value this filter takes: give one, or leave the filter out."))
        return not self.form.errors


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A list (cursor pages, the admin's filters) and a row, read with the model's view permission."""

    # Filters and pages come from REST_FRAMEWORK's defaults; this docstring is the operations' description.

    def retrieve(self, request, *args, **kwargs):
        return answer(self, self.get_object())


def act(permission: str, **schema):
    """Declare a write action: the permission it needs, its OpenAPI description (``extend_schema``'s keywords; an
    action on a row names ``IF_MATCH`` among its parameters), and the Idempotency-Key it takes; the handler runs in
    one transaction, once per key."""

    def declare(handler):
        handler.permission = permission
        parameters = [*schema.pop("parameters", []), IDEMPOTENCY_KEY]
        return extend_schema(parameters=parameters, **schema)(idempotent(handler))

    return declare


def locked_for_update(view, request):
    """The view's row, locked, once ``If-Match`` proved the caller read it as it stands (else 412 or 428)."""
    locked = lock(view.get_object())  # held until the action's transaction ends
    check_if_match(request, locked)
    return locked


def answer(view, row, status=200) -> Response:
    """The row as the view shows it, with its new ETag."""
    return Response(view.get_serializer(row).data, status=status, headers={"ETag": etag_of(row)})
