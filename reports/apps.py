from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        """Declare who reads the monthly report, hand the jobs its preparation, list its dashboard on the index."""
        from backoffice.registry import register
        from backoffice.worklists import Worklist

        from . import prepared, roles

        register("role_grants", roles.GRANTS, name=self.name)
        register("job_kinds", prepared.MONTHLY_REPORT)
        register(
            "worklists", Worklist(_("Reports"), _("The month's dashboard"), "reports:dashboard", roles.READ_REPORTS)
        )
