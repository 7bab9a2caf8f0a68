"""Admin actions that take a form, ask for confirmation, then act on each selected row.

An action shows an intermediate page with its form (dates, fees, reason), then a confirmation page,
then performs once per selected row. Every row is its own transaction, so the result is reported
per row: the successes together, each refusal with its reason (the article).

Each action needs its own permission, ``<app>.<permission>_<model>`` (``contracts.accept_contract``):
Django shows an action only to whom ``allowed_permissions`` admits, and the runner checks again,
so a crafted POST is refused too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .admin import permission_name, refusal_text
from .display import display_value
from .integrity import refusal_of
from .parts import parts_of


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
        except IntegrityError as exc:  # the database saw what full_clean could not (a concurrent change)
            refused.append((obj, refusal_text(refusal_of(exc))))
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


def _summary(form) -> list[tuple[str, str]]:
    return [(field.label, display_value(field, form.cleaned_data.get(name))) for name, field in form.fields.items()]


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
        "summary": [
            (field.label, display_value(field, form.cleaned_data.get(name))) for name, field in form.fields.items()
        ]
        if confirm
        else [],
        "objects": objects,
        "warnings": spec.warning(objects) if spec.warning else [],
        "notes": parts_of(modeladmin.model).notes_for(spec.name, objects, form.cleaned_data) if confirm else [],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/backoffice/step_action.html", context)


__all__ = ["StepAction", "run"]
