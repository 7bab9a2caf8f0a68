from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        """Declare contracts' role permissions; add its parts to the customers' pages, its guards on their
        rows and its timeline events; hand the jobs its import."""
        from backoffice import guards, parts, timeline
        from backoffice.roles import grant
        from customers.models import Customer, RelatedContract
        from jobs import services as jobs
        from jobs.models import JobKind

        from . import guards as contract_guards
        from . import roles
        from . import timeline as contract_timeline
        from .admin import actions, customer_parts
        from .importer import job as import_job

        parts.add_inline(Customer, customer_parts.ContractInline)
        parts.add_column(Customer, customer_parts.live_contracts)
        parts.add_column(RelatedContract, customer_parts.contract_count)
        parts.add_action(RelatedContract, actions.end_related_contract)
        guards.add_guard(Customer, contract_guards.customer_keeps_what_its_contracts_need)
        guards.add_guard(RelatedContract, contract_guards.related_contract_fixed_while_needed)
        timeline.add_sources(*contract_timeline.SOURCES)
        jobs.register(JobKind.CONTRACT_IMPORT, import_job.run)
        grant(roles.GRANTS)
