"""An act started from a list's button and done by a job: its form (a month, a format), then a confirmation
that shows what will happen (counts, which customers), then the job, whose page follows its progress.

The confirmation is read, not rehearsed: the act is a batch (a month's e-mails, the dunning run) and is
not done twice. The job does the work through the same service as the command and the daily run.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from backoffice.admin import refusal_text

from .pages import job_link


class NoForm(forms.Form):
    """An act that asks nothing: the confirmation alone."""


@dataclass(frozen=True)
class Act:
    """``name`` (its URL is ``admin:<app>_<model>_<name>``), its button's ``label``, the ``permission`` it needs,
    its ``form_class``; ``preview(data, user)`` the lines the confirmation shows; ``start(data, user)`` the job."""

    name: str
    label: str
    permission: str
    preview: Callable[..., list[str]]
    start: Callable
    form_class: type = NoForm

    def url_name(self, opts) -> str:
        return f"{opts.app_label}_{opts.model_name}_{self.name}"

    def allowed(self, user) -> bool:
        return user.has_perm(self.permission)


def urls(modeladmin, acts) -> list:
    """The acts' pages, to add to ``modeladmin.get_urls()``."""
    return [
        path(
            f"{act.name}/",
            modeladmin.admin_site.admin_view(lambda request, act=act: page(modeladmin, request, act)),
            name=act.url_name(modeladmin.opts),
        )
        for act in acts
    ]


def buttons(request, opts, acts) -> list[tuple[str, str]]:
    """``(url, label)`` of each act ``request.user`` may do: the list's buttons."""
    return [(reverse(f"admin:{act.url_name(opts)}"), act.label) for act in acts if act.allowed(request.user)]


def page(modeladmin, request, act: Act):
    """Form → confirmation with what will happen → the job started, and straight to its page."""
    if not act.allowed(request.user):
        raise PermissionDenied
    step = request.POST.get("_step")
    form = act.form_class(request.POST if step else None)
    if not form.fields and not step:
        form = act.form_class({})
    lines, confirm = [], False
    if form.is_bound and form.is_valid() and "_back" not in request.POST:
        try:
            if step == "confirm":
                job = act.start(form.cleaned_data, request.user)
                modeladmin.message_user(request, job_link(_("%(act)s: started.") % {"act": act.label}, job))
                return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
            lines, confirm = act.preview(form.cleaned_data, request.user), True
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": act.label,
        "subtitle": _("Confirm") if confirm else None,
        "form": form,
        "confirm": confirm,
        "lines": lines,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/jobs/act.html", context)
