"""The forms of receivables' admin pages: a bank file to import, a payment entered by hand, a match by
hand, the reason for undoing one."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.dates import DateFormField
from backoffice.forms import UploadField
from customers.models import Customer


class BankFileForm(forms.Form):
    file = UploadField(
        label=_("bank file"),
        help_text=_("全銀協 振込入金通知 or 入出金取引明細 (Shift_JIS or JIS 8-bit, 200-byte records), or a CSV."),
    )
    dry_run = forms.BooleanField(label=_("dry run (check only)"), required=False, initial=True)


class MatchForm(forms.Form):
    """The invoices a payment pays, chosen among its candidates' open invoices and those found by a search
    (in the order shown); they may be of several customers (a parent company paying for its group)."""

    invoices = forms.TypedMultipleChoiceField(
        label=_("invoices"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    customer = forms.CharField(
        label=_("customer number"),
        required=False,
        max_length=20,
        help_text=_(
            "The payer whose credit what is left over becomes: needed when no invoice is chosen (the payment kept "
            "whole as credit); otherwise the customer of the first invoice chosen."
        ),
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


class InvoiceSearchForm(forms.Form):
    """Open invoices found by amount, due date and customer name (or number, kana, invoice number): what staff
    look through when no customer is suggested for a payment (GET parameters of the match page)."""

    name = forms.CharField(label=_("customer name, kana or number"), required=False, max_length=100)
    amount_min = forms.IntegerField(label=_("still owed from (yen)"), required=False, min_value=0)
    amount_max = forms.IntegerField(label=_("still owed up to (yen)"), required=False, min_value=0)
    due_from = DateFormField(label=_("due from"), required=False)
    due_to = DateFormField(label=_("due up to"), required=False)

    def search(self, invoices):
        """``invoices`` (open ones, with their balance) narrowed by what was typed."""
        data = self.cleaned_data
        if data.get("name"):
            text = data["name"].strip()
            invoices = invoices.filter(
                Q(customer__name__icontains=text)
                | Q(customer__name_kana_key__kana=text)
                | Q(customer__code=text)
                | Q(customer_name__icontains=text)
                | Q(number__icontains=text.removeprefix("No."))
            )
        bounds = {
            "balance__gte": data.get("amount_min"),
            "balance__lte": data.get("amount_max"),
            "due_on__gte": data.get("due_from"),
            "due_on__lte": data.get("due_to"),
        }
        return invoices.filter(**{k: v for k, v in bounds.items() if v is not None})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    """An action that asks nothing but the confirmation."""
