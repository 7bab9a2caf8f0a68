from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentConfig(AppConfig):
    name = "equipment"
    verbose_name = _("Rented equipment")

    def ready(self):
        """Declare equipment's role permissions; listen to contracts and billing; hand billing its charges;
        name its reminders' topic in the outbox; add its parts to the contract pages, its events to the customer
        timeline, its worklists to the index."""
        from backoffice import parts, timeline
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from billing import signals as billing_signals
        from billing import sources
        from contracts import signals as contract_signals
        from contracts.models import Contract, ContractOption
        from jobs import services as jobs
        from jobs.models import JobKind
        from outbox import topics

        from . import billing_source, roles, worklists
        from . import timeline as unit_timeline
        from .admin.contract_parts import ContractUnitInline, OptionUnitInline
        from .services import reminders, returns, stock_import_job

        contract_signals.terminated.connect(returns.on_terminated, dispatch_uid="equipment.returns.terminated")
        billing_signals.charges_invoiced.connect(
            billing_source.on_charges_invoiced, dispatch_uid="equipment.charges_invoiced"
        )
        sources.register("equipment.charges", billing_source.approved_charges)
        sources.register("equipment.cancellation_fees", billing_source.cancellation_fees)
        jobs.register(JobKind.UNIT_IMPORT, stock_import_job.run)
        parts.add_inline(Contract, ContractUnitInline)
        parts.add_inline(ContractOption, OptionUnitInline)
        timeline.add_sources(*unit_timeline.SOURCES)
        for worklist in worklists.WORKLISTS:
            add_worklist(worklist)
        topics.register(reminders.TOPIC, "equipment.view_returnreminder", _("Return reminders"))
        grant(roles.GRANTS)
