"""The forms of the equipment actions: each asks for the date of the move and what the move needs."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.dates import DateFormField
from backoffice.forms import UploadField
from backoffice.ranges import YEN
from contracts import selectors

from ..choices import Cause, IncidentKind, Resolution, ReturnCondition, UnitState
from ..models import Unit, UnitModel
from .holders import holder_field

DATE = _("date")


def _date(label=DATE, required=True, initial=timezone.localdate):
    """A move's date, today unless staff say otherwise; a deadline or a day ahead is asked with no default."""
    return DateFormField(label=label, required=required, initial=initial)


def _note():
    return forms.CharField(label=_("note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def _text(label):
    return forms.CharField(label=label, required=False, max_length=60)


def _stock():
    return Unit.objects.filter(status=UnitState.IN_STOCK).select_related("unit_model")


class DateNoteForm(forms.Form):
    on = _date()
    note = _note()


class DecisionForm(forms.Form):
    """Approving or rejecting a charge is decided the day it is recorded: the date starts as today."""

    on = _date()
    note = _note()


class AssignForm(forms.Form):
    """The holder is searched among the live ones; an ended one posted is refused by the rule, with its article."""

    on = _date()
    contract = holder_field(
        "contract", _("managed router contract"), selectors.managed_router_contracts(live_only=False)
    )
    option = holder_field("option", _("router rental option"), selectors.router_rental_options(live_only=False))
    note = _note()

    def clean(self):
        data = super().clean()
        if bool(data.get("contract")) == bool(data.get("option")):
            raise ValidationError(_("Choose one Managed Router contract or one router rental option."))
        return data


class ShipForm(forms.Form):
    on = _date()
    carrier = _text(_("carrier"))
    tracking_number = _text(_("tracking number"))
    note = _note()


class ReceiveReturnForm(ShipForm):
    condition = forms.ChoiceField(
        label=_("condition on return"),
        choices=ReturnCondition.choices,
        initial=ReturnCondition.GOOD,
        help_text=_("Damaged or parts missing: a damage incident is opened for the charge (Managed Router art. 9)."),
    )
    field_order = ["on", "condition", "note", "carrier", "tracking_number"]


class InstallForm(forms.Form):
    on = _date()
    change_fee = YEN.form_field(
        _("equipment change fee (yen)"),
        help_text=_(
            "Managed Router: a unit the customer asked to add or change after the billing start is an equipment "
            "change (art. 6 ¶1) that restarts the 1-year minimum period (art. 5 ¶3); the delivery (the first "
            "installation and every unit installed up to the billing start, art. 3) and a replacement for a "
            "failure, loss or damage (art. 8, 9) are not and take no fee. Empty: the contract's change fee."
        ),
    )
    note = _note()


class RequestReturnForm(forms.Form):
    on = _date()
    deadline = _date(_("return deadline"), initial=None)
    note = _note()


class LossForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[(k, IncidentKind(k).label) for k in (IncidentKind.LOSS, IncidentKind.DAMAGE)]
    )
    on = _date(_("reported on"))
    note = _note()


class ResolveFailureForm(forms.Form):
    on = _date()
    cause = forms.ChoiceField(label=_("investigation outcome"), choices=Cause.choices)
    resolution = forms.ChoiceField(label=_("resolution"), choices=Resolution.choices)
    replacement = forms.ModelChoiceField(label=_("replacement unit"), queryset=_stock(), required=False)
    carrier = _text(_("carrier"))
    tracking_number = _text(_("tracking number"))


class ReplacementForm(forms.Form):
    on = _date()
    replacement = forms.ModelChoiceField(label=_("replacement unit"), queryset=_stock())
    carrier = _text(_("carrier"))
    tracking_number = _text(_("tracking number"))


class AnswerForm(forms.Form):
    """A person's contact with the customer about an overdue return: what they said and when to follow up."""

    on = _date()
    answer = forms.CharField(
        label=_("the customer's answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_on = _date(_("follow up next on"), initial=None)

    def clean(self):
        data = super().clean()
        if data.get("on") and data.get("next_on") and data["next_on"] <= data["on"]:
            raise ValidationError({"next_on": _("The next follow-up comes after this one.")})
        return data


class AssessForm(forms.Form):
    on = _date(_("assessed on"))
    amount = YEN.form_field(_("amount (yen)"), help_text=_("Empty: the price list's amount."))
    reason = forms.CharField(
        label=_("reason for another amount"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = UploadField(label=_("CSV file"), help_text=_("Columns: serial, acquired_on, acquisition_cost."))
    unit_model = forms.ModelChoiceField(label=_("model"), queryset=UnitModel.objects.all())
    acquired_on = _date(_("acquired on"))
    cost = YEN.form_field(_("acquisition cost (yen)"), required=True)
    dry_run = forms.BooleanField(label=_("dry run (check only)"), required=False, initial=True)
