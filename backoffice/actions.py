"""Admin actions that take a form, ask for confirmation, then act on each selected row.

An action shows an intermediate page with its form (dates, fees, reason; a form's ``initial_for(rows)`` fills
it from the rows chosen), then a confirmation page,
then performs once per selected row. Every row is its own transaction, so the result is reported
per row: the successes together, each refusal with its reason (the article). The confirmation page is
a rehearsal: the action runs on every row and is rolled back, so the page shows what each row will
get (the amounts it records) or why it will be refused, and a form none of whose rows would pass
stays open with the refusals instead of asking "yes" for nothing.

Each action needs its own permission, ``<app>.<permission>_<model>`` (``contracts.accept_contract``):
Django shows an action only to whom ``allowed_permissions`` admits, and the runner checks again,
so a crafted POST is refused too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .admin import permission_name, refusal_text
from .display import display_value
from .integrity import refusal_of
from .parts import parts_of


@dataclass(frozen=True)
class StepAction:
    """An action: its form, what it does to one row (``perform`` returns an optional detail), a warning.

    ``permission`` is the action's permission without the model (``"accept"``); it defaults to ``name``.
    ``rehearse=False`` leaves out the rehearsal for an action whose confirmation already shows its own
    preview and whose work is too heavy to do twice (a month's billing run, its closing).
    ``background=True``: the action hands the work to a job (its detail links it), so its message says the
    work was started, never that it is done. ``order`` is the order the selected rows are done in
    (``order_by`` terms): a row another one needs goes first.
    """

    name: str
    label: str
    form_class: type
    perform: Callable
    warning: Callable | None = None
    permission: str = ""
    rehearse: bool = True
    background: bool = False
    order: tuple = ("pk",)

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
    initial = spec.form_class.initial_for(queryset) if hasattr(spec.form_class, "initial_for") else None
    form = spec.form_class(request.POST if step else None, initial=initial)
    if not form.fields and not step:
        form = spec.form_class({})
    ready = form.is_bound and form.is_valid() and "_back" not in request.POST
    if ready and step == "confirm":
        _perform(spec, modeladmin, request, queryset, form.cleaned_data)
        return None
    outcomes = rehearse(spec, queryset, form.cleaned_data, request.user) if ready and spec.rehearse else []
    if outcomes and not any(ok for _obj, ok, _text in outcomes):
        for _obj, _ok, text in outcomes:
            form.add_error(None, f"{_obj}: {text}")
        ready = False
    return _render(spec, modeladmin, request, queryset, form, confirm=ready, outcomes=outcomes)


def _attempt(spec, obj, data, user) -> tuple[bool, str]:
    """Perform ``spec`` on one row in its own transaction: ``(True, detail)`` or ``(False, refusal)``."""
    try:
        with transaction.atomic():
            detail = spec.perform(obj, data, user)
    except ValidationError as exc:
        return False, refusal_text(exc)
    except IntegrityError as exc:  # the database saw what full_clean could not (a concurrent change)
        return False, refusal_text(refusal_of(exc))
    return True, detail or ""


def rehearse(spec, queryset, data, user) -> list[tuple[object, bool, str]]:
    """Run the action on every row and roll it all back: ``(row, passes, detail or refusal)`` per row, the
    same checks and amounts the real run will meet. Nothing is kept and no signal is sent (on commit only)."""
    with transaction.atomic():
        outcomes = [(obj, *_attempt(spec, obj, data, user)) for obj in queryset.order_by(*spec.order)]
        transaction.set_rollback(True)
    for obj, _ok, _text in outcomes:
        obj.refresh_from_db()  # the page shows each row as it still is, not as the rehearsal left it
    return outcomes


def _perform(spec, modeladmin, request, queryset, data) -> None:
    """Perform on each row and report; a detail may be safe HTML (a link to the job doing the work)."""
    done, refused = [], []
    for obj in queryset.order_by(*spec.order):
        ok, text = _attempt(spec, obj, data, request.user)
        if not ok:
            refused.append((obj, text))
        else:
            done.append((obj, text))
    if done:
        modeladmin.message_user(request, _done_message(spec, done), messages.SUCCESS)
    for obj, reason in refused:
        modeladmin.message_user(
            request, _("%(object)s: refused. %(reason)s") % {"object": obj, "reason": reason}, messages.ERROR
        )


def _done_message(spec, done: list[tuple[object, str]]) -> str:
    """ "Action: done for A (detail), B." ("started for" when a job does the work) as text; as HTML (every
    part escaped) when a detail is a link."""
    message = _("%(action)s: started for %(objects)s.") if spec.background else _("%(action)s: done for %(objects)s.")
    if not any(isinstance(text, SafeString) for _obj, text in done):
        objects = ", ".join(f"{obj} ({text})" if text else str(obj) for obj, text in done)
        return message % {"action": spec.label, "objects": objects}
    objects = ", ".join(format_html("{} ({})", obj, text) if text else conditional_escape(obj) for obj, text in done)
    return mark_safe(escape(message) % {"action": conditional_escape(spec.label), "objects": objects})


def _summary(form) -> list[tuple[str, str]]:
    return [(field.label, display_value(field, form.cleaned_data.get(name))) for name, field in form.fields.items()]


def _render(spec, modeladmin, request, queryset, form, *, confirm: bool, outcomes=()):
    opts = modeladmin.model._meta
    objects = list(queryset.order_by("pk"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": spec.label,
        "subtitle": _("Confirm") if confirm else None,
        "opts": opts,
        "action": spec.name,
        "form": form,
        "confirm": confirm,
        "summary": _summary(form) if confirm else [],
        "objects": objects,
        "outcomes": outcomes if confirm else [],
        "warnings": spec.warning(objects) if spec.warning else [],
        "notes": parts_of(modeladmin.model).notes_for(spec.name, objects, form.cleaned_data) if confirm else [],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/backoffice/step_action.html", context)


__all__ = ["StepAction", "run"]
