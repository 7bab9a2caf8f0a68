from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        """Declare the outbox's role permissions and put the messages that could not go on the worklists."""
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist

        from . import roles, worklists

        grant(roles.GRANTS)
        add_worklist(worklists.UNSENT)
