from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        """Declare the outbox's role permissions and put the messages that could not go on the worklists."""
        from backoffice.registry import register

        from . import roles, worklists

        register("role_grants", roles.GRANTS, name=self.name)
        register("worklists", worklists.UNSENT)
