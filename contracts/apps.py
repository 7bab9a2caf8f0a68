from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        """Declare contracts' role permissions; add its parts to the customers' pages, its guards on their
        rows and its own rules on its rows, and its timeline events; hand the jobs its import."""
        from backoffice.registry import register
        from customers.models import Customer, RelatedContract

        from . import guards as contract_guards
        from . import models, roles, rules
        from . import timeline as contract_timeline
        from .admin import actions, customer_parts
        from .importer import job as import_job
        from .rules.fixed_fees import check_listed_fees
        from .rules.isp_platform import check_bandwidth_area

        register("admin_inlines", customer_parts.ContractInline, to=Customer)
        register("admin_columns", customer_parts.live_contracts, to=Customer)
        register("admin_columns", customer_parts.contract_count, to=RelatedContract)
        register("admin_actions", actions.end_related_contract, to=RelatedContract)
        register("guards", contract_guards.customer_keeps_what_its_contracts_need, to=Customer)
        register("guards", contract_guards.related_contract_fixed_while_needed, to=RelatedContract)
        register("guards", rules.check_contract, to=models.Contract)
        register("guards", rules.check_option, to=models.ContractOption)
        register("guards", check_bandwidth_area, to=models.BandwidthArea)
        register("guards", check_listed_fees, to=models.Item)
        register("guards", check_listed_fees, to=models.OptionKind)
        for source in contract_timeline.SOURCES:
            register("timeline_sources", source)
        register("job_kinds", import_job.CONTRACT_IMPORT)
        register("role_grants", roles.GRANTS, name=self.name)
