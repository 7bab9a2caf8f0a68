from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "receivables"
    verbose_name = _("Receivables")

    def ready(self):
        """Declare the role permissions and add the worklists to the admin index."""
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist

        from . import roles, worklists

        grant(roles.GRANTS)
        for worklist in worklists.WORKLISTS:
            add_worklist(worklist)
