"""Forms of the contracts admin: the contract and option edit forms and the action forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.dates import DateFormField
from backoffice.forms import AdminModelForm
from backoffice.ranges import YEN

from ..choices import STAFF_TERMINATION_REASONS, TerminationReason
from ..models import BandwidthArea, Contract, ContractOption, Item, OptionKind
from ..models.option import OPTION_ATTRIBUTES
from ..models.ranges import MONTHS, NOTICE_DAYS
from ..models.service_attributes import ATTRIBUTES
from ..services.areas import dated_change_needed


def date_field(label, *, required=True, help_text=""):
    """A date as every form of the admin takes it (``backoffice.dates``: range, typed forms, calendar widget)."""
    initial = timezone.localdate if required else None
    return DateFormField(label=label, required=required, initial=initial, help_text=help_text)


def yen_field(label, help_text=""):
    return YEN.form_field(label, help_text=help_text)


class CatalogChoiceField(forms.ModelChoiceField):
    """A catalog entry labelled with its service, so equal item names of two services differ."""

    def label_from_instance(self, obj):
        return f"{obj.service} / {obj}"


class LifecycleForm(AdminModelForm):
    """Edit form of a contract or option; a change of a live one is accepted on ``change_accepted_on``."""

    change_accepted_on = date_field(
        _("change accepted on"),
        required=False,
        help_text=_(
            "For a change of a live contract or option: the day the change request was accepted; "
            "its one-time fee arises on that day. Empty means today."
        ),
    )
    change_monthly_fee = yen_field(
        _("monthly fee agreed with the change (yen)"),
        _(
            "Held from the day the change was accepted. Empty: a new item brings its list price; "
            "any other change keeps the price in force."
        ),
    )


class ContractForm(LifecycleForm):
    item = CatalogChoiceField(Item.objects.select_related("service"), label=_("item"))

    class Meta:
        model = Contract
        fields = ("number", "customer", "service", "item", "applied_on", "note", *ATTRIBUTES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "service" not in self.fields:  # an ended contract: every attribute is read-only
            return
        if self.instance.pk:
            # Fixed for life (the rules refuse a change); kept in the form so the database
            # constraints that depend on the service are validated with the other fields.
            self.fields["service"].disabled = True
        else:
            self.fields["service"].required = False
            self.fields["service"].help_text = _("Leave empty to take the item's service.")

    def clean(self):
        data = super().clean()
        if data.get("item") and not data.get("service"):
            data["service"] = data["item"].service
        return data


class OptionForm(LifecycleForm):
    kind = CatalogChoiceField(OptionKind.objects.select_related("service"), label=_("option"))

    class Meta:
        model = ContractOption
        fields = ("contract", "kind", "applied_on", "applied_with_parent", "note", *OPTION_ATTRIBUTES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            service = self._contract_service()
            if service:  # only the options of the contract's service can be chosen (router rental: ISP Platform)
                self.fields["kind"].queryset = self.fields["kind"].queryset.filter(service_id=service)

    def _contract_service(self) -> str | None:
        """The service of the contract the option is for: saved, posted, or given by the "Add option" link."""
        if self.instance.contract_id:
            return self.instance.contract.service_id
        return contract_service(self.data.get(self.add_prefix("contract")) or self.initial.get("contract"))


def contract_service(chosen) -> str | None:
    """The service of the contract ``chosen`` (its id, as posted or given by the "Add option" link), if any."""
    if not str(chosen or "").isdigit():
        return None
    return Contract.objects.filter(pk=chosen).values_list("service_id", flat=True).first()


class BandwidthAreaForm(AdminModelForm):
    """An area entered on its own page: only for a contract not yet accepted. An accepted contract's areas are
    billed by the day they are in force, so they change on the contract's page as a dated change."""

    class Meta:
        model = BandwidthArea
        fields = ("contract", "area", "mbps")

    def clean_contract(self):
        contract = self.cleaned_data["contract"]
        if dated_change_needed(contract):
            raise ValidationError(
                _(
                    "The areas of an accepted contract change on the contract's page, with the day the change "
                    "was accepted: billing reads the bandwidth in force on each day (ISP Platform art. 1)."
                )
            )
        return contract


# Action forms: one per lifecycle move, each asked on the intermediate page.


class ConfirmForm(forms.Form):
    """A move without parameters: only the confirmation page is shown."""


class AcceptForm(forms.Form):
    on = date_field(_("accepted on"))
    initial_fee = yen_field(_("agreed initial fee (yen)"), _("Leave empty for the list price."))
    monthly_fee = yen_field(_("agreed monthly fee (yen)"), _("Leave empty for the list price."))


class StartBillingForm(forms.Form):
    on = date_field(_("billing start"), help_text=_("Day one of the monthly fees and of the minimum period."))


class NoticeForm(forms.Form):
    received_on = date_field(_("notice received on"))
    requested_on = date_field(
        _("requested end"), required=False, help_text=_("The last day of service the customer asked for, if any.")
    )

    def clean(self):
        data = super().clean()
        received, requested = data.get("received_on"), data.get("requested_on")
        if received and requested and requested < received:
            raise ValidationError(_("The requested end cannot be before the notice was received."))
        return data


class TerminateForm(forms.Form):
    on = date_field(_("terminated on"))
    reason = forms.ChoiceField(
        label=_("termination reason"),
        choices=[(reason.value, reason.label) for reason in STAFF_TERMINATION_REASONS],
        initial=TerminationReason.CUSTOMER_REQUEST,
    )
    note = forms.CharField(label=_("note"), required=False, help_text=_("Kept in the history."))


class OverrideTermsForm(forms.Form):
    """New values for some frozen terms; empty fields keep their value. The reason is required."""

    min_months = MONTHS.form_field(_("minimum period (months)"))
    notice_days = NOTICE_DAYS.form_field(_("notice days"))
    prorated = forms.ChoiceField(
        label=_("prorated by day"),
        required=False,
        choices=[("", _("unchanged")), ("yes", _("yes")), ("no", _("no"))],
    )
    initial_fee = yen_field(
        _("initial fee (yen)"), _("Prices from a day on (monthly, change, per-unit fees) are agreed with a date.")
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def clean(self):
        data = super().clean()
        if not term_changes(data) and not self.errors:
            raise ValidationError(_("Give at least one new value."))
        return data


#: Every term the override forms may carry, as ``override_terms`` takes them (``prorated`` apart).
_NUMERIC_TERMS = ("min_months", "notice_days", "initial_fee")


def term_changes(data: dict) -> dict:
    """The frozen terms an override form gives new values for, as ``override_terms`` takes them."""
    changes = {name: data[name] for name in _NUMERIC_TERMS if data.get(name) is not None}
    if data.get("prorated"):
        changes["prorated"] = data["prorated"] == "yes"
    return changes


class EndRelatedForm(forms.Form):
    on = date_field(_("ended on"))
