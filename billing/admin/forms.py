"""The forms billing's admin actions ask."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.dates import DateFormField

from ..models.ranges import SIGNED_YEN


class ConfirmForm(forms.Form):
    """An action without parameters: only the confirmation page is shown."""


class CloseForm(forms.Form):
    issued_on = DateFormField(
        label=_("issued on"),
        initial=timezone.localdate,
        help_text=_("The issue date printed on the invoices; the due date follows from it."),
    )


class CorrectionForm(forms.Form):
    new_amount = SIGNED_YEN.form_field(_("correct amount (yen)"), required=True)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
