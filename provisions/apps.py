from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = _("Provisions of the terms")

    def ready(self):
        """Declare the role permissions and show the records on the pages of the contracts they concern."""
        from backoffice import parts
        from backoffice.roles import grant
        from contracts.models import Contract, ContractOption

        from . import roles
        from .admin.contract_parts import CONTRACT_INLINES, OPTION_INLINES

        for inline in CONTRACT_INLINES:
            parts.add_inline(Contract, inline)
        for inline in OPTION_INLINES:
            parts.add_inline(ContractOption, inline)
        grant(roles.GRANTS)
