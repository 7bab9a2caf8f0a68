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
        from backoffice.registry import register
        from billing.signals import invoices_issued
        from outbox.topics import Topic

        from . import background, checks, roles, worklists  # noqa: F401  (checks: the journal settings check)
        from .models.journal import DATABASE_REFUSALS
        from .services import balances, delivery, dunning

        register("role_grants", roles.GRANTS, name=self.name)
        invoices_issued.connect(balances.on_invoices_issued, dispatch_uid="receivables.balances")
        for kind in background.KINDS:
            register("job_kinds", kind)
        for worklist in worklists.WORKLISTS:
            register("worklists", worklist)
        for trigger, message in DATABASE_REFUSALS.items():
            register("database_refusals", message, name=trigger)
        # Both leave from the billing address customers answer to (BILLING_FROM_EMAIL).
        for topic, permission, label in (
            (dunning.TOPIC, "receivables.view_dunningnotice", _("Dunning notices")),
            (delivery.TOPIC, "receivables.view_invoicedelivery", _("Invoice deliveries")),
        ):
            register("outbox_topics", Topic(topic, permission, label, sender_setting="BILLING_FROM_EMAIL"))
