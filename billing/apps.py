from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from backoffice.parts import add_confirmation_note
        from contracts.models import Contract, ContractOption

        from . import checks  # noqa: F401  (registers the invoice settings checks)
        from .settlement import notice_settlement_notes, termination_settlement_notes

        # Staff see the early-termination settlement before they confirm an end (SPEC §1).
        for model in (Contract, ContractOption):
            add_confirmation_note(model, "register_notice", notice_settlement_notes)
            add_confirmation_note(model, "terminate", termination_settlement_notes)
