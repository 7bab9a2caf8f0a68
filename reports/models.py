"""The monthly report reads the other apps' rows at the time it is made; a prepared report keeps the file.

``MonthlyReport`` exists for its permission only (``reports.view_monthlyreport``): a model without a
table, so the roles can be granted it like any other view permission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .writers import FORMATS


class MonthlyReport(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self):
        return str(self._meta.verbose_name)


class PreparedReport(models.Model):
    """A month's report written by a worker in one language and format; it is current while nothing the
    report reads has changed since ``data_as_of`` (``freshness``), and then it is prepared again."""

    month = models.CharField(_("month"), max_length=7)
    language = models.CharField(_("language"), max_length=10)
    format = models.CharField(_("format"), max_length=10, choices=[(fmt, fmt) for fmt in FORMATS])
    job = models.OneToOneField(
        "jobs.Job", on_delete=models.PROTECT, related_name="prepared_report", verbose_name=_("job")
    )
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prepared report")
        verbose_name_plural = _("prepared reports")
        indexes = [models.Index(fields=["month", "language", "format", "-id"], name="reports_prepared_lookup")]

    def __str__(self):
        return f"{self.month} {self.format} ({self.language})"
