from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = _("Provisions of the terms")

    def ready(self):
        """Declare the role permissions, show the records on the pages of the contracts they concern, list what
        waits on the admin index."""
        from backoffice import parts
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from contracts.models import Contract, ContractOption

        from . import roles, worklists
        from .admin.contract_parts import CONTRACT_INLINES, OPTION_INLINES

        for inline in CONTRACT_INLINES:
            parts.add_inline(Contract, inline)
        for inline in OPTION_INLINES:
            parts.add_inline(ContractOption, inline)
        for worklist in worklists.WORKLISTS:
            add_worklist(worklist)
        grant(roles.GRANTS)
