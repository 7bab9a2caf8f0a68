from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        """Declare who reads the monthly report and list its dashboard on the admin index."""
        from backoffice.roles import grant
        from backoffice.worklists import Worklist, add_worklist

        from . import roles

        grant(roles.GRANTS)
        add_worklist(Worklist(_("Reports"), _("The month's dashboard"), "reports:dashboard", roles.READ_REPORTS))
