"""What other apps' admin pages use of jobs: the link to a job that an action answers with at once, and the
upload page of a background import (the form, then straight to the job that does the work)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import Job


def job_link(text: str, job: Job | None):
    """``text`` and a link to ``job``'s page: what a long admin action answers at once."""
    if job is None:
        return text
    return format_html('{} — <a href="{}">{}</a>', text, reverse("admin:jobs_job_change", args=[job.pk]), job)


def upload_page(modeladmin, request, *, permissions: tuple[str, ...], form_class, title: str, help_text: str, start):
    """Show ``form_class``; once valid, ``start(form.cleaned_data, user)`` checks the file as a whole (a
    ``ValidationError`` is shown on the form) and records the job with it; the page answers at once with
    a link to the job, where its progress and its report per row follow."""
    if not all(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start(form.cleaned_data, request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            modeladmin.message_user(request, job_link(_("The file is being imported in the background."), job))
            return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": title,
        "help_text": help_text,
        "form": form,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/jobs/upload.html", context)
