"""The price agreement action on contracts' and options' pages, added by billing (``BillingConfig.ready``).

Billing staff agree a price from a day on; the confirmation page shows the prices before and after, the
first month billed at the new price and, when the agreement reaches into closed months on purpose, the
correction of each of their lines with the invoice it corrects (``billing.prices``).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.actions import StepAction
from backoffice.dates import DateFormField
from backoffice.ranges import YEN

from ..prices import agree_price, change_lines


class PriceAgreementForm(forms.Form):
    """The prices agreed from a day on; empty fields keep the price in force that day."""

    valid_from = DateFormField(label=_("valid from"), initial=timezone.localdate)
    monthly_fee = YEN.form_field(_("monthly fee (yen)"))
    change_fee = YEN.form_field(_("change fee (yen)"))
    retroactive = forms.BooleanField(
        label=_("retroactive"),
        required=False,
        help_text=_(
            "Only when the price holds from a day of a month already closed: its invoices are corrected in the "
            "first open month, each correction naming the invoice it corrects."
        ),
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ContractPriceForm(PriceAgreementForm):
    """A contract's prices, with ISP Platform's per-unit components (annex 1 §2)."""

    line_fee = YEN.form_field(_("line maintenance fee per line (yen)"))
    bandwidth_fee = YEN.form_field(_("bandwidth fee per 100 Mbps (yen)"))
    field_order = ("valid_from", "monthly_fee", "change_fee", "line_fee", "bandwidth_fee", "retroactive", "reason")


class OptionPriceForm(PriceAgreementForm):
    """An option's prices, with the router rental's cancellation fee per unit (ISP Platform annex 1 3.(3))."""

    cancellation_fee = YEN.form_field(_("cancellation fee per unit (yen)"))
    field_order = ("valid_from", "monthly_fee", "change_fee", "cancellation_fee", "retroactive", "reason")


AMOUNTS = ("monthly_fee", "change_fee", "line_fee", "bandwidth_fee", "cancellation_fee")


def _agree(obj, data, user):
    amounts = {name: data.get(name) for name in AMOUNTS if data.get(name) is not None}
    lines = change_lines(obj, data["valid_from"], amounts)
    agree_price(
        obj,
        valid_from=data["valid_from"],
        by=user,
        reason=data["reason"],
        retroactive=data["retroactive"],
        **amounts,
    )
    return "; ".join(lines)


def price_action(form_class: type[PriceAgreementForm]):
    return StepAction(
        "agree_price", _("Agree a price from a day"), form_class, _agree, permission="override_terms"
    ).as_admin_action()


contract_price_action = price_action(ContractPriceForm)
option_price_action = price_action(OptionPriceForm)
