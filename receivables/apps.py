from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "receivables"
    verbose_name = _("Receivables")

    def ready(self):
        """Declare the role permissions, add the worklists to the admin index, name the topics of the dunning
        notices and invoice deliveries in the outbox (read by whoever reads those rows: billing and the auditor;
        sent from the billing address), register the jobs of the acts started from the admin, and keep the balance
        of each invoice a closing issues."""
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from billing.signals import invoices_issued
        from jobs import services as jobs
        from outbox import topics

        from . import background, checks, roles, worklists  # noqa: F401  (checks: the journal settings check)
        from .services import balances, delivery, dunning

        grant(roles.GRANTS)
        invoices_issued.connect(balances.on_invoices_issued, dispatch_uid="receivables.balances")
        for kind, handler in background.HANDLERS.items():
            jobs.register(kind, handler, readers=background.READERS.get(kind))
        for worklist in worklists.WORKLISTS:
            add_worklist(worklist)
        # Both leave from the billing address customers answer to (BILLING_FROM_EMAIL).
        billing = {"sender_setting": "BILLING_FROM_EMAIL"}
        topics.register(dunning.TOPIC, "receivables.view_dunningnotice", _("Dunning notices"), **billing)
        topics.register(delivery.TOPIC, "receivables.view_invoicedelivery", _("Invoice deliveries"), **billing)
