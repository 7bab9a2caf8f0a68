from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        """Register billing's own charge source, its role permissions, worklists, timeline and customer inline."""
        from backoffice import parts, timeline
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from customers.models import Customer

        from . import roles, sources
        from . import timeline as billing_timeline
        from .contract_charges import contract_charges
        from .customer_parts import InvoiceInline
        from .worklists import WORKLISTS

        sources.register("billing.contracts", contract_charges)
        grant(roles.GRANTS)
        timeline.add_sources(*billing_timeline.SOURCES)
        parts.add_inline(Customer, InvoiceInline)
        for worklist in WORKLISTS:
            add_worklist(worklist)
