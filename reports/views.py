"""The month's dashboard (the summary's figures and charts) and the report's download, in the admin."""

import tempfile

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from backoffice.display import yen

from .forms import ReportForm
from .roles import READ_REPORTS
from .sections import monthly_report
from .svg import chart_svg
from .writers import write

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}


def require_permission(request) -> None:
    if not request.user.has_perm(READ_REPORTS):
        raise PermissionDenied


def dashboard(request):
    require_permission(request)
    form = ReportForm.from_query(request.GET)
    context = {**admin.site.each_context(request), "title": _("The month's dashboard"), "form": form}
    if form.is_valid():
        report = monthly_report(form.cleaned_data["month"])
        charts = []
        for section in report.charted:
            labels = [str(column.label) for column in section.columns]
            charts.append((section.chart.title, chart_svg(section.chart, labels, section.materialised())))
        figures = [(f.label, f.count, None if f.amount is None else yen(f.amount)) for f in report.figures]
        context.update(month=report.month, figures=figures, charts=charts)
    return TemplateResponse(request, "admin/reports/dashboard.html", context)


def download(request):
    """The report as a file: written to a temporary file in constant memory, then streamed from it."""
    require_permission(request)
    form = ReportForm.from_query(request.GET)
    if not form.is_valid():
        return dashboard(request)
    month, fmt = form.cleaned_data["month"], form.cleaned_data["format"]
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write(monthly_report(month), fmt, target)
    target.seek(0)
    extension = "xlsx" if fmt == "xlsx" else "zip"
    filename = _("monthly_report_%(month)s") % {"month": month} + f".{extension}"
    return FileResponse(target, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
