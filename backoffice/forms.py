"""The model form every admin of the back-office uses."""

from collections import defaultdict

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class AdminModelForm(forms.ModelForm):
    """A model form that shows a refusal of a field it does not edit (read-only, or on another page) for
    the whole form, instead of failing: a rule of ``clean()`` may name any field of the row."""

    def add_error(self, field, error):
        if field is None and hasattr(error, "error_dict"):
            shown = defaultdict(list)
            for name, errors in error.error_dict.items():
                shown[name if name in self.fields else NON_FIELD_ERRORS].extend(errors)
            error = ValidationError(dict(shown))
        super().add_error(field, error)
