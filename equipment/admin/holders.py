"""The holder picker of the assign action: a searched list (select2, as the admin's autocomplete) of the live
Managed Router contracts and router rental options, each labelled with its kind and customer.

The search offers live holders only; the form's fields accept any holder of the right kind, so a unit
posted with an ended contract reaches ``rules.check_can_assign`` and is refused there with its article,
as before (a narrowed queryset would answer a bare "not a valid choice").
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.admin import permission_name
from backoffice.keys import KeyCheckedAutocompleteSelect
from contracts import selectors

from ..models import Unit

PAGE = 20


def holder_label(holder) -> str:
    """A contract or option as the picker shows it: number, kind (service and item, or option and units), customer."""
    if hasattr(holder, "kind_id"):
        contract = holder.contract
        return _("%(number)s %(kind)s, %(units)d units (%(customer)s)") % {
            "number": contract.number,
            "kind": holder.kind,
            "units": holder.units,
            "customer": contract.customer,
        }
    return f"{holder.number} {holder.service} {holder.item} ({holder.customer})"


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return holder_label(obj)


class HolderAutocomplete(KeyCheckedAutocompleteSelect):
    """Django's autocomplete widget (impossible keys refused), asking the assign action's own search instead of
    the model admin's."""

    def __init__(self, field_name: str):
        super().__init__(Unit._meta.get_field(field_name), admin_site=None, attrs={"data-width": "40em"})

    def get_url(self):
        return reverse("admin:equipment_unit_assign_holders")


def holder_field(field_name: str, label, queryset) -> HolderChoiceField:
    return HolderChoiceField(label=label, queryset=queryset, required=False, widget=HolderAutocomplete(field_name))


def _searched(rows, term: str, contract: str):
    """``rows`` whose contract number, customer code or customer name contains ``term``, or whose customer's
    reading does however it is typed (hiragana, half-width kana; legal forms ignored: ``backoffice.readings``)."""
    if not term:
        return rows
    prefix = f"{contract}__" if contract else ""
    return rows.filter(
        Q(**{f"{prefix}number__icontains": term})
        | Q(**{f"{prefix}customer__code__icontains": term})
        | Q(**{f"{prefix}customer__name__icontains": term})
        | Q(**{f"{prefix}customer__name_kana_key__kana": term})
    )


def search_view(request):
    """select2's JSON: the live holders (``field_name`` contract or option) matching ``term``, a page at a time."""
    if not request.user.has_perm(permission_name("move", Unit._meta)):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()[:100]
    if request.GET.get("field_name") == "option":
        rows = _searched(selectors.router_rental_options(), term, "contract")
    else:
        rows = _searched(selectors.managed_router_contracts(), term, "")
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    found = list(rows[(page - 1) * PAGE : page * PAGE + 1])
    results = [{"id": str(row.pk), "text": holder_label(row)} for row in found[:PAGE]]
    return JsonResponse({"results": results, "pagination": {"more": len(found) > PAGE}})


__all__ = ["holder_field", "holder_label", "search_view"]
