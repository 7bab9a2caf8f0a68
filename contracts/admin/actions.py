"""The actions that move contracts, options and related contracts through the services.

Each is a ``backoffice.actions.StepAction`` (form page, confirmation page, per-row results); what it
does to one row is below.
"""

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.display import date_text, yen

from .. import terms
from ..choices import LIVE_STATUSES
from ..models import ChangeKind, Contract, ContractOption
from ..services import lifecycle, related
from . import forms as action_forms


def _accept(obj, data, user):
    lifecycle.accept(obj, on=data["on"], by=user, initial_fee=data["initial_fee"], monthly_fee=data["monthly_fee"])
    fees = _("initial fee %(initial)s, monthly fee %(monthly)s") % {
        "initial": yen(obj.initial_fee),
        "monthly": yen(obj.monthly_fee),
    }
    return "; ".join(filter(None, [fees, _option_change_fee(obj, data["on"])]))


def _option_change_fee(obj, on) -> str:
    """The change fee the lifecycle recorded for adding or ending the option ``obj`` on ``on``, if it is such a
    change (Managed Router art. 6 ¶1 (2)): shown on the confirmation page and in the result."""
    if not isinstance(obj, ContractOption):
        return ""
    change = obj.changes.filter(kind=ChangeKind.OPTION, attribute="", accepted_on=on).order_by("-pk").first()
    if change is None:
        return ""
    return _("change fee %(fee)s (Managed Router art. 6 ¶1 (2), annex 1 3.(1))") % {"fee": yen(change.fee)}


def _start_billing(obj, data, user):
    lifecycle.start_billing(obj, on=data["on"], by=user)
    if obj.min_period_end_on:
        return _("minimum period ends %(date)s") % {"date": date_text(obj.min_period_end_on)}
    return ""


def _register_notice(obj, data, user):
    lifecycle.register_notice(obj, received_on=data["received_on"], requested_on=data["requested_on"], by=user)
    return notice_calculation(obj)


def notice_calculation(row) -> str:
    """How the effective end follows from the notice: arrival + the notice days of the article, or the
    customer's later requested day (the later of the two is the last day of service)."""
    values = {
        "received": date_text(row.notice_received_on),
        "days": row.notice_days,
        "article": lifecycle.notice_article(row),
        "earliest": date_text(terms.notice_effective_date(row.notice_received_on, None, row.notice_days)),
        "requested": date_text(row.requested_end_on),
        "effective": date_text(row.effective_end_on),
    }
    if row.requested_end_on is None:
        return _("last day of service %(earliest)s: received %(received)s + %(days)s days (%(article)s)") % values
    return (
        _(
            "last day of service %(effective)s, the later of received %(received)s + %(days)s days (%(article)s) "
            "= %(earliest)s and the requested %(requested)s"
        )
        % values
    )


def _withdraw_notice(obj, data, user):
    lifecycle.withdraw_notice(obj, by=user)


def _withdraw(obj, data, user):
    lifecycle.withdraw(obj, by=user)


def _terminate(obj, data, user):
    lifecycle.terminate(obj, on=data["on"], reason=data["reason"], by=user, note=data["note"])
    return _option_change_fee(obj, data["on"])


def _override_terms(obj, data, user):
    lifecycle.override_terms(obj, by=user, reason=data["reason"], **action_forms.term_changes(data))


def _end_related(obj, data, user):
    ended = related.end_related_contract(obj, on=data["on"], by=user)
    if not ended:
        return _("no contract ended with it")
    return _("ended with it: %(contracts)s") % {"contracts": ", ".join(c.number for c in ended)}


def _termination_warning(contracts) -> list[str]:
    ids = [c.pk for c in contracts]
    options = ContractOption.objects.filter(contract__in=ids, status__in=LIVE_STATUSES).count()
    children = Contract.objects.filter(parent__in=ids, status__in=LIVE_STATUSES).count()
    standbys = Contract.objects.filter(standby_of__in=ids, status__in=LIVE_STATUSES).count()
    return [
        _(
            "Terminating a contract also ends its live options, its Cloud Proxy child contracts, the CXM2 "
            "Standby contracts that back it up, and every contract the terms end with it."
        ),
        _(
            "Ending with the selected contracts: %(options)d live options, %(children)d child contracts, "
            "%(standbys)d Standby partners."
        )
        % {"options": options, "children": children, "standbys": standbys},
    ]


def _related_end_warning(related_contracts) -> list[str]:
    return [
        _(
            "Our contracts that need this related contract end with it (e.g. Smart HUB art. 6 ¶2), "
            "or the end is refused while a contract still needs it."
        )
    ]


#: Contracts accepted together are accepted in the order they need each other: the Cloud Proxy children before
#: their parent, which is accepted only while it holds them (art. 6 ¶1), an Active CXM2 before the Standby that
#: names it (art. 5).
CONTRACTS_NEEDED_FIRST = (F("parent").asc(nulls_last=True), F("standby_of").asc(nulls_first=True), "pk")


def lifecycle_actions(*, cascade_warning: bool, accept_order: tuple = ("pk",)) -> list:
    """The lifecycle actions of a contract (with the cascade warning and ``CONTRACTS_NEEDED_FIRST``) or an option."""
    specs = [
        StepAction(
            "accept", gettext_lazy("Accept the application"), action_forms.AcceptForm, _accept, order=accept_order
        ),
        StepAction("start_billing", gettext_lazy("Start billing"), action_forms.StartBillingForm, _start_billing),
        StepAction(
            "register_notice",
            gettext_lazy("Register a cancellation notice"),
            action_forms.NoticeForm,
            _register_notice,
        ),
        StepAction(
            "withdraw_notice",
            gettext_lazy("Withdraw the cancellation notice"),
            action_forms.ConfirmForm,
            _withdraw_notice,
            permission="register_notice",
        ),
        StepAction("withdraw", gettext_lazy("Withdraw the application"), action_forms.ConfirmForm, _withdraw),
        StepAction(
            "terminate",
            gettext_lazy("Terminate"),
            action_forms.TerminateForm,
            _terminate,
            _termination_warning if cascade_warning else None,
        ),
        StepAction(
            "override_terms",
            gettext_lazy("Override frozen terms"),
            action_forms.OverrideTermsForm,
            _override_terms,
        ),
    ]
    return [spec.as_admin_action() for spec in specs]


end_related_contract = StepAction(
    "end_related_contract",
    gettext_lazy("End related contract"),
    action_forms.EndRelatedForm,
    _end_related,
    _related_end_warning,
    permission="end",
).as_admin_action()
