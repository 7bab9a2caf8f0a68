from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        """Declare who reads the monthly report, hand the jobs its preparation, list its dashboard on the index."""
        from backoffice.roles import grant
        from backoffice.worklists import Worklist, add_worklist
        from jobs import services as jobs
        from jobs.models import JobKind

        from . import prepared, roles

        grant(roles.GRANTS)
        jobs.register(JobKind.MONTHLY_REPORT, prepared.run)
        add_worklist(Worklist(_("Reports"), _("The month's dashboard"), "reports:dashboard", roles.READ_REPORTS))
