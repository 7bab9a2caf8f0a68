"""Keys typed by hand (foreign keys in forms, ids in URLs): a value that can be no row's key is refused,
never sent to the database.

Django's autocomplete widget looks up the submitted value to show it again, and a many-to-many field
checks its values with an ``IN`` query; a value such as " " or a number past the column's range
reaches the database there and fails with a server error instead of an "invalid choice".
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404


def valid_key(target, value) -> bool:
    """Whether ``value`` can be a key of the ``target`` column: it parses, lies in the column's range and
    holds no NUL byte (which PostgreSQL refuses in a text key with an error)."""
    try:
        key = target.to_python(value)
        target.run_validators(key)
    except (ValidationError, TypeError, ValueError):
        return False
    return not (isinstance(key, str) and "\x00" in key)


class _ChecksSelected:
    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if valid_key(target, v)], attr)


class KeyCheckedAutocompleteSelect(_ChecksSelected, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(_ChecksSelected, AutocompleteSelectMultiple):
    pass


class KeyCheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for key in value:
            if not valid_key(target, key):
                error = self.error_messages["invalid_pk_value"]
                raise ValidationError(error, code="invalid_pk_value", params={"pk": key})
        return super()._check_values(value)


class KeyCheckingAdmin:
    """Admin mixin: foreign-key and many-to-many fields that refuse impossible keys as invalid choices."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def object_or_404(queryset, **lookup):
    """``get_object_or_404`` for a key taken from the URL: a value that can be no key ("abc", "1.5") is
    "not found" (404) instead of a server error."""
    try:
        return get_object_or_404(queryset, **lookup)
    except (ValidationError, TypeError, ValueError, OverflowError) as error:
        raise Http404 from error
