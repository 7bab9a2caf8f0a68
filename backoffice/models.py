"""The one table of the shared machinery: the days each daily job has run for."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.display import date_text

from .dates import DateField


class DailyRun(models.Model):
    """A daily job's run for one day: the next run catches up every day after the last one recorded."""

    job = models.CharField(_("job"), max_length=60)
    day = DateField(_("day"))
    finished_at = models.DateTimeField(_("finished at"), auto_now=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        ordering = ["job", "-day"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="backoffice_dailyrun_once_per_day")]

    def __str__(self):
        return f"{self.job} {date_text(self.day)}"
