"""The model form every admin of the back-office uses, and the bounded file upload."""

from collections import defaultdict

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


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


def check_upload_size(upload) -> None:
    """Refuse a file past ``MAX_UPLOAD_BYTES``: Django streams any size to disk (the admin's forms, the API)."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )


class UploadField(forms.FileField):
    """A file upload refused as a form error past ``MAX_UPLOAD_BYTES``."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_upload_size(upload)
        return upload
