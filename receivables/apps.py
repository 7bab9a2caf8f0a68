from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "receivables"
    verbose_name = _("Receivables")

    def ready(self):
        """Declare the role permissions, add the worklists to the admin index, and name the topics of the dunning
        notices and invoice deliveries in the outbox (read by whoever reads those rows: billing and the auditor)."""
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from outbox import topics

        from . import checks, roles, worklists  # noqa: F401  (checks registers the journal settings check)
        from .services import delivery, dunning

        grant(roles.GRANTS)
        for worklist in worklists.WORKLISTS:
            add_worklist(worklist)
        topics.register(dunning.TOPIC, "receivables.view_dunningnotice", _("Dunning notices"))
        topics.register(delivery.TOPIC, "receivables.view_invoicedelivery", _("Invoice deliveries"))
