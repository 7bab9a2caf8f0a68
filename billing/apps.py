from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        """Register billing's own charge source, its role permissions, worklists, timeline and customer inline,
        the invoice settings checks, the settlement shown before an end is confirmed, its background jobs, and
        how the outbox reads an invoice's PDF attached to an e-mail."""
        from backoffice import parts, timeline
        from backoffice.parts import add_confirmation_note
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from contracts.models import Contract, ContractOption
        from customers.models import Customer
        from jobs import services as jobs
        from jobs.models import JobKind
        from outbox import attachments

        from . import (
            background,
            checks,  # noqa: F401  (registers the invoice settings checks)
            invoice_pdf,
            rendering,
            roles,
            sources,
        )
        from . import timeline as billing_timeline
        from .admin.prices import contract_price_action, option_price_action
        from .contract_charges import contract_charges
        from .customer_parts import InvoiceInline
        from .prices import agreement_notes
        from .settlement import notice_settlement_notes, termination_settlement_notes
        from .worklists import WORKLISTS

        sources.register("billing.contracts", contract_charges)
        readers = {"month": background.month_of}  # its first day, for the job's page
        jobs.register(JobKind.RENDER_DOCUMENTS, rendering.plan, readers=readers)
        jobs.register(JobKind.BILLING_RUN, background.run, readers=readers)
        attachments.register(invoice_pdf.KIND, invoice_pdf.read)
        grant(roles.GRANTS)
        timeline.add_sources(*billing_timeline.SOURCES)
        parts.add_inline(Customer, InvoiceInline)
        for worklist in WORKLISTS:
            add_worklist(worklist)
        # Staff see the early-termination settlement before they confirm an end (SPEC §1).
        for model in (Contract, ContractOption):
            add_confirmation_note(model, "register_notice", notice_settlement_notes)
            add_confirmation_note(model, "terminate", termination_settlement_notes)
            # The prices before and after, and the corrections of closed months, before a price is agreed.
            add_confirmation_note(model, "agree_price", agreement_notes)
        parts.add_action(Contract, contract_price_action)
        parts.add_action(ContractOption, option_price_action)
