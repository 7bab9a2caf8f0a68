"""The forms of the SLA admin pages that are not model forms: picking the contracts an outage hit, deciding claims."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.dates import DateFormField, MomentFormField
from contracts.choices import Region
from contracts.selectors import SLA_SERVICES, sla_contracts
from customers.models import Customer

from ..models.outage import ExclusionReason


class AffectForm(forms.Form):
    """Which live CXM2 and Smart HUB contracts an outage hit: by customer, service, CXM2 location or closed
    network; a service alone picks all its live contracts."""

    customer = forms.CharField(label=_("customer code"), max_length=20, required=False)
    service = forms.ChoiceField(
        label=_("service"), required=False, choices=[("", "---------"), *[(s.value, s.label) for s in SLA_SERVICES]]
    )
    location = forms.ChoiceField(label=_("CXM2 location"), required=False, choices=[("", "---------"), *Region.choices])
    closed_network = forms.CharField(label=_("closed network id"), max_length=40, required=False)

    def clean_customer(self):
        code = self.cleaned_data["customer"].strip()
        if not code:
            return None
        customer = Customer.objects.filter(code=code).first()
        if customer is None:
            raise ValidationError(_("No customer has this code."))
        return customer

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            raise ValidationError(_("Choose a customer, a service, a location or a closed network."))
        return data

    def contracts(self):
        data = self.cleaned_data
        return sla_contracts(
            customer=data["customer"],
            service=data["service"] or None,
            location=data["location"] or None,
            closed_network=data["closed_network"].strip() or None,
        )


class DecideForm(forms.Form):
    on = DateFormField(label=_("decided on"), initial=timezone.localdate)


class ConfirmForm(forms.Form):
    """Nothing to ask: the confirmation page shows the drafts as they will be confirmed."""


class AdjustForm(forms.Form):
    """A draft's times as staff find them, and why they differ from the alerts'."""

    started_at = MomentFormField(label=_("started at"))
    ended_at = MomentFormField(label=_("ended at"))
    reason = forms.CharField(
        label=_("why the times differ from the alerts'"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_for(cls, rows) -> dict:
        """One draft chosen: its times as they stand, to correct rather than retype."""
        chosen = list(rows[:2])
        return {"started_at": chosen[0].started_at, "ended_at": chosen[0].ended_at} if len(chosen) == 1 else {}

    def clean(self):
        data = super().clean()
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end <= start:
            raise ValidationError({"ended_at": _("An outage ends after it starts.")})
        return data


class ExcludeForm(forms.Form):
    """Why a draft earns no credit for anyone (CXM2 art. 8 ¶2, Smart HUB art. 5 ¶2, annex 1 of both)."""

    reason = forms.ChoiceField(label=_("exclusion reason"), choices=ExclusionReason.choices)
    note = forms.CharField(label=_("why it is excluded"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
