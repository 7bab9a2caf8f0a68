"""The forms of receivables' admin pages: a bank file to import, a payment entered by hand, a match by
hand, the reason for undoing one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.forms import UploadField
from customers.models import Customer


class BankFileForm(forms.Form):
    file = UploadField(
        label=_("bank file"),
        help_text=_("全銀協 振込入金通知 or 入出金取引明細 (Shift_JIS or JIS 8-bit, 200-byte records), or a CSV."),
    )
    dry_run = forms.BooleanField(label=_("dry run (check only)"), required=False, initial=True)


class MatchForm(forms.Form):
    """The invoices a payment pays, chosen among its candidates' open invoices (in the order shown)."""

    invoices = forms.TypedMultipleChoiceField(
        label=_("invoices"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    customer = forms.CharField(
        label=_("customer number"),
        required=False,
        max_length=20,
        help_text=_("Only for a payment kept whole as the customer's credit (no invoice chosen)."),
    )
    book_fee = forms.BooleanField(
        label=_("book a shortfall within the tolerance as the transfer fee (振込手数料)"), required=False, initial=True
    )

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].choices = invoices

    def clean_customer(self):
        code = self.cleaned_data["customer"].strip()
        if not code:
            return None
        customer = Customer.objects.filter(code=code).first()
        if customer is None:
            raise forms.ValidationError(_("No customer with number %(code)s.") % {"code": code})
        return customer

    def clean(self):
        data = super().clean()
        if not data.get("invoices") and not data.get("customer"):
            raise forms.ValidationError(_("Choose the invoices it pays, or the customer whose credit it becomes."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    """An action that asks nothing but the confirmation."""
