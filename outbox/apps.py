from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        """Declare the outbox's role permissions, put the messages that could not go on the worklists, and
        register the job that sends the outbox now (the list's button)."""
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from jobs import services as jobs
        from jobs.models import JobKind

        from . import background, roles, worklists

        grant(roles.GRANTS)
        jobs.register(JobKind.SEND_OUTBOX, background.run)
        add_worklist(worklists.UNSENT)
