"""The monthly report has no rows of its own: it reads the other apps' rows at the time it is made.

``MonthlyReport`` exists for its permission only (``reports.view_monthlyreport``): a model without a
table, so the roles can be granted it like any other view permission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self):
        return str(self._meta.verbose_name)
