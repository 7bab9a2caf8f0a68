from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentConfig(AppConfig):
    name = "equipment"
    verbose_name = _("Rented equipment")

    def ready(self):
        """Declare equipment's role permissions; listen to contracts and billing; hand billing its charges;
        name its reminders' topic in the outbox; add its parts to the contract pages, its events to the customer
        timeline, its worklists to the index."""
        from backoffice.registry import register
        from billing import signals as billing_signals
        from contracts import signals as contract_signals
        from contracts.models import Contract, ContractOption
        from outbox.topics import Topic

        from . import billing_source, roles, worklists
        from . import timeline as unit_timeline
        from .admin.contract_parts import ContractUnitInline, OptionUnitInline
        from .services import reminders, returns, stock_import_job

        contract_signals.terminated.connect(returns.on_terminated, dispatch_uid="equipment.returns.terminated")
        billing_signals.charges_invoiced.connect(
            billing_source.on_charges_invoiced, dispatch_uid="equipment.charges_invoiced"
        )
        register("charge_sources", billing_source.approved_charges, name="equipment.charges")
        register("charge_sources", billing_source.cancellation_fees, name="equipment.cancellation_fees")
        register("job_kinds", stock_import_job.UNIT_IMPORT)
        register("admin_inlines", ContractUnitInline, to=Contract)
        register("admin_inlines", OptionUnitInline, to=ContractOption)
        for source in unit_timeline.SOURCES:
            register("timeline_sources", source)
        for worklist in worklists.WORKLISTS:
            register("worklists", worklist)
        register("outbox_topics", Topic(reminders.TOPIC, "equipment.view_returnreminder", _("Return reminders")))
        register("role_grants", roles.GRANTS, name=self.name)
