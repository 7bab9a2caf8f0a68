"""The month's dashboard (the summary's figures and charts) and the report's files, in the admin."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.display import yen
from backoffice.months import Month
from backoffice.stored import attachment
from jobs.pages import job_link

from . import freshness, prepared
from .forms import ReportForm
from .models import PreparedReport
from .roles import READ_REPORTS
from .sections import monthly_report
from .svg import chart_svg
from .writers import FORMATS

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}


def require_permission(request) -> None:
    if not request.user.has_perm(READ_REPORTS):
        raise PermissionDenied


def dashboard(request, form: ReportForm | None = None):
    require_permission(request)
    form = form or ReportForm.from_query(request.GET)
    context = {**admin.site.each_context(request), "title": _("The month's dashboard"), "form": form}
    if form.is_valid():
        report = monthly_report(form.cleaned_data["month"])
        charts = []
        for section in report.charted:
            labels = [str(column.label) for column in section.columns]
            charts.append((section.chart.title, chart_svg(section.chart, labels, section.materialised())))
        figures = [(f.label, f.count, None if f.amount is None else yen(f.amount)) for f in report.figures]
        as_of = freshness.newest_change()
        files = []
        for fmt, label in ((FORMATS[0], _("Excel")), (FORMATS[1], _("CSV (zip)"))):
            ready = prepared.latest(report.month, fmt)
            files.append((fmt, label, ready, prepared.is_current(ready, as_of)))
        context.update(month=report.month, figures=figures, charts=charts, files=files)
    return TemplateResponse(request, "admin/reports/dashboard.html", context)


def prepare(request):
    """Ask for the month's report in a format: a worker writes it; the dashboard shows it ready, or its job."""
    require_permission(request)
    if request.method != "POST":
        return dashboard(request)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return dashboard(request, form)
    month, fmt = form.cleaned_data["month"], form.cleaned_data["format"]
    report = prepared.prepare(month, fmt, by=request.user)
    if not report.file:
        messages.info(request, job_link(_("The report is being prepared."), report.job))
    return HttpResponseRedirect(reverse("reports:dashboard") + f"?month={month}")


def download(request, pk: int):
    """A prepared report's file, to whoever reads reports."""
    require_permission(request)
    report = get_object_or_404(PreparedReport, pk=pk)
    if not report.file:
        raise Http404
    with translation.override(report.language):
        name = prepared.file_name(Month.parse(report.month), report.format)
    return attachment(report.file.storage, report.file.name, filename=name, content_type=CONTENT_TYPES[report.format])
