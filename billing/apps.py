from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        """Register billing's own charge source, its role permissions, worklists, timeline and customer inline,
        the invoice settings checks, the settlement shown before an end is confirmed, its background jobs (and what
        a worker loads for them as it starts), and how the outbox reads an invoice's PDF attached to an e-mail."""
        from backoffice.registry import register
        from contracts.models import Contract, ContractOption
        from customers.models import Customer

        from . import (
            background,
            checks,  # noqa: F401  (registers the invoice settings checks)
            documents,
            invoice_pdf,
            rendering,
            roles,
        )
        from . import timeline as billing_timeline
        from .admin.prices import contract_price_action, option_price_action
        from .contract_charges import contract_charges
        from .customer_parts import InvoiceInline
        from .models.guards import DATABASE_REFUSALS
        from .prices import agreement_notes
        from .settlement import notice_settlement_notes, termination_settlement_notes
        from .worklists import WORKLISTS

        register("charge_sources", contract_charges, name="billing.contracts")
        register("job_kinds", rendering.RENDER_DOCUMENTS)
        register("job_kinds", background.BILLING_RUN)
        register("worker_warmups", documents.warm, name="billing.documents")
        register("outbox_attachments", invoice_pdf.read, name=invoice_pdf.KIND)
        register("role_grants", roles.GRANTS, name=self.name)
        for source in billing_timeline.SOURCES:
            register("timeline_sources", source)
        register("admin_inlines", InvoiceInline, to=Customer)
        for worklist in WORKLISTS:
            register("worklists", worklist)
        for trigger, message in DATABASE_REFUSALS.items():
            register("database_refusals", message, name=trigger)
        # Staff see the early-termination settlement before they confirm an end (SPEC §1).
        for model in (Contract, ContractOption):
            register("confirmation_notes", notice_settlement_notes, to=(model, "register_notice"))
            register("confirmation_notes", termination_settlement_notes, to=(model, "terminate"))
            # The prices before and after, and the corrections of closed months, before a price is agreed.
            register("confirmation_notes", agreement_notes, to=(model, "agree_price"))
        register("admin_actions", contract_price_action, to=Contract)
        register("admin_actions", option_price_action, to=ContractOption)
