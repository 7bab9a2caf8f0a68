from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = _("Provisions of the terms")

    def ready(self):
        """Declare the role permissions, show the records on the pages of the contracts they concern, list what
        waits on the admin index."""
        from backoffice.registry import register
        from contracts.models import Contract, ContractOption

        from . import roles, worklists
        from .admin.contract_parts import CONTRACT_INLINES, OPTION_INLINES

        for inline in CONTRACT_INLINES:
            register("admin_inlines", inline, to=Contract)
        for inline in OPTION_INLINES:
            register("admin_inlines", inline, to=ContractOption)
        for worklist in worklists.WORKLISTS:
            register("worklists", worklist)
        register("role_grants", roles.GRANTS, name=self.name)
