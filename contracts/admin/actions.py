"""Admin actions that move contracts, options and related contracts through the services.

Each action shows an intermediate page with its form (dates, fees, reason), then a confirmation
page, then runs the service once per selected row. Every row is its own transaction, so the
result is reported per row: the successes together, each refusal with its reason (the article).

Each action needs its own permission, ``<app>.<permission>_<model>`` (``contracts.accept_contract``):
Django shows an action only to whom ``allowed_permissions`` admits, and the runner checks again,
so a crafted POST is refused too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import LIVE_STATUSES
from ..models import Contract, ContractOption
from ..services import lifecycle, related
from . import forms as action_forms
from .base import refusal_text


@dataclass(frozen=True)
class StepAction:
    """An action: its form, what it does to one row (``perform`` returns an optional detail), a warning.

    ``permission`` is the action's permission without the model (``"accept"``); it defaults to ``name``.
    """

    name: str
    label: str
    form_class: type
    perform: Callable
    warning: Callable | None = None
    permission: str = ""

    @property
    def permission_action(self) -> str:
        return self.permission or self.name

    def as_admin_action(self):
        def action(modeladmin, request, queryset):
            return run(self, modeladmin, request, queryset)

        action.__name__ = self.name
        action.short_description = self.label
        action.allowed_permissions = (self.permission_action,)
        action.step_action = self
        return action


def permission_name(action: str, opts) -> str:
    """The permission of ``action`` on the model of ``opts``: ``contracts.accept_contract``."""
    return f"{opts.app_label}.{action}_{opts.model_name}"


class StepActionPermissions:
    """Admin mixin: the ``has_<permission>_permission`` method that Django's ``allowed_permissions``
    calls, for the permission of each StepAction in ``actions``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for action in cls.actions or ():
            spec = getattr(action, "step_action", None)
            if spec is not None:
                setattr(cls, f"has_{spec.permission_action}_permission", _has_permission(spec.permission_action))


def _has_permission(action: str):
    def has_permission(modeladmin, request, obj=None):
        return request.user.has_perm(permission_name(action, modeladmin.opts))

    return has_permission


def run(spec: StepAction, modeladmin, request, queryset):
    """Form page → confirmation page → per-row results (back on the changelist)."""
    if not request.user.has_perm(permission_name(spec.permission_action, modeladmin.opts)):
        raise PermissionDenied
    step = request.POST.get("_step")
    form = spec.form_class(request.POST if step else None)
    if not form.fields and not step:
        form = spec.form_class({})
    ready = form.is_bound and form.is_valid() and "_back" not in request.POST
    if ready and step == "confirm":
        _perform(spec, modeladmin, request, queryset, form.cleaned_data)
        return None
    return _render(spec, modeladmin, request, queryset, form, confirm=ready)


def _perform(spec, modeladmin, request, queryset, data) -> None:
    done, refused = [], []
    for obj in queryset.order_by("pk"):
        try:
            detail = spec.perform(obj, data, request.user)
        except ValidationError as exc:
            refused.append((obj, refusal_text(exc)))
            continue
        done.append(f"{obj} ({detail})" if detail else str(obj))
    if done:
        modeladmin.message_user(
            request,
            _("%(action)s: done for %(objects)s.") % {"action": spec.label, "objects": ", ".join(done)},
            messages.SUCCESS,
        )
    for obj, reason in refused:
        modeladmin.message_user(
            request, _("%(object)s: refused. %(reason)s") % {"object": obj, "reason": reason}, messages.ERROR
        )


def _shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    choices = getattr(field, "choices", None)
    if choices is not None:
        return str(dict(choices).get(value, value))
    return str(value)


def _render(spec, modeladmin, request, queryset, form, *, confirm: bool):
    opts = modeladmin.model._meta
    objects = list(queryset)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": spec.label,
        "subtitle": _("Confirm") if confirm else None,
        "opts": opts,
        "action": spec.name,
        "form": form,
        "confirm": confirm,
        "summary": [(field.label, _shown(field, form.cleaned_data.get(name))) for name, field in form.fields.items()]
        if confirm
        else [],
        "objects": objects,
        "warnings": spec.warning(objects) if spec.warning else [],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/contracts/step_action.html", context)


# What each action does to one row.


def _accept(obj, data, user):
    lifecycle.accept(obj, on=data["on"], by=user, initial_fee=data["initial_fee"], monthly_fee=data["monthly_fee"])
    return _("initial fee %(initial)s yen, monthly fee %(monthly)s yen") % {
        "initial": obj.initial_fee,
        "monthly": obj.monthly_fee,
    }


def _start_billing(obj, data, user):
    lifecycle.start_billing(obj, on=data["on"], by=user)
    if obj.min_period_end_on:
        return _("minimum period ends %(date)s") % {"date": obj.min_period_end_on}
    return ""


def _register_notice(obj, data, user):
    lifecycle.register_notice(obj, received_on=data["received_on"], requested_on=data["requested_on"], by=user)
    return _("effective end %(date)s") % {"date": obj.effective_end_on}


def _withdraw_notice(obj, data, user):
    lifecycle.withdraw_notice(obj, by=user)


def _withdraw(obj, data, user):
    lifecycle.withdraw(obj, by=user)


def _terminate(obj, data, user):
    lifecycle.terminate(obj, on=data["on"], reason=data["reason"], by=user, note=data["note"])


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


def lifecycle_actions(*, cascade_warning: bool) -> list:
    """The lifecycle actions of a contract (with the cascade warning) or an option."""
    specs = [
        StepAction("accept", gettext_lazy("Accept the application"), action_forms.AcceptForm, _accept),
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
