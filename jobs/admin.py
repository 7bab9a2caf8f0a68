"""The jobs page: staff follow their own background jobs (the auditor every job) and retry failed ones."""

from importlib import import_module

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, registered_filter
from backoffice.stored import attachment

from . import files, kinds, services
from .arguments import words
from .models import Job, JobState
from .status import Queue, status


class RetryForm(forms.Form):
    """Nothing to ask: the confirmation page alone."""


def _retry(job, data, user):
    services.retry(job, by=user)
    return _("queued again")


def _retry_warning(jobs) -> list[str]:
    return [_("A retry runs the job again from where it stopped: what is already done is not done twice.")]


# The queue's own rows belong to the backend (and are not there at all on RQ): staff follow the jobs.
import_module("django_tasks_db.admin")  # registered first, whichever app's admin imports this one
admin.site.unregister(DBTaskResult)

RETRY = StepAction(
    "retry", gettext_lazy("Retry the failed job"), RetryForm, _retry, _retry_warning, rehearse=False, background=True
)


#: Seconds between two loads of the page of a job not finished yet.
REFRESH_SECONDS = 5


@admin.register(Job)
class JobAdmin(HistoryAdmin):
    list_display = ("id", "description", "kind_text", "state", "progress", "started_by", "created_at", "finished_at")
    list_display_links = ("id", "description")
    list_select_related = ("started_by",)
    list_filter = (
        "state",
        registered_filter("kind", gettext_lazy("kind"), kinds.choices),
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("description", "started_by__username", "result", "error")
    actions = [RETRY.as_admin_action()]
    fields = (
        "description",
        "kind_text",
        "arguments_text",
        "status_text",
        "progress",
        "result_column",
        "error",
        "attempts",
        "started_by",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_text(self, obj):
        return kinds.label(obj.kind)

    def get_list_display(self, request):
        """The state column reads the queue once for the whole list: where each waiting job stands in it."""
        tasks = Queue()

        @admin.display(description=gettext_lazy("state"), ordering="state")
        def state(obj):
            return status(obj, tasks)

        return [state if column == "state" else column for column in super().get_list_display(request)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A job's page loads itself again every few seconds until the job is finished."""
        job = self.get_object(request, object_id)
        refresh = REFRESH_SECONDS if job is not None and not job.is_finished else None
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "refresh": refresh})

    def get_queryset(self, request):
        """Staff see the jobs they started; the auditor (and a superuser) sees every job."""
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [path("<int:pk>/file/", self.admin_site.admin_view(self.file_view), name="jobs_job_file")]
        return own + super().get_urls()

    def file_view(self, request, pk):
        """The file the job made, to whoever may see the job (who started it, the auditor)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(self.get_queryset(request), pk=pk)
        found = files.kept(job)
        if found is None:
            raise Http404(_("This job has no file."))
        name, stored = found
        return attachment(default_storage, stored, filename=name)

    @admin.display(description=gettext_lazy("arguments"))
    def arguments_text(self, obj):
        return format_html_join(mark_safe("<br>"), "{}: {}", words(obj)) or "—"

    @admin.display(description=gettext_lazy("state"))
    def status_text(self, obj):
        return status(obj, Queue())

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, obj):
        """Done of the total; while the job runs, what of it is committed when that is less (a crash keeps
        only that: an import's rows read inside its transaction)."""
        if obj.total is None:
            return "—" if obj.state != JobState.DONE else _("done")
        percent = 100 * obj.done // obj.total if obj.total else 100
        text = f"{obj.done:,} / {obj.total:,} ({percent}%)"
        if obj.committed < obj.done and not obj.is_finished:
            return _("%(progress)s, of which %(committed)s committed") % {
                "progress": text,
                "committed": f"{obj.committed:,}",
            }
        return text

    @admin.display(description=gettext_lazy("result"))
    def result_column(self, obj):
        """The result line by line (an import lists each refused row on a line of its own), then its link."""
        if obj.result_url:
            return format_html('{}<br><a href="{}">{}</a>', linebreaksbr(obj.result), obj.result_url, _("open"))
        return obj.result or "—"
