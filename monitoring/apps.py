from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring alerts")

    def ready(self):
        """Declare the roles' permissions; show the alerts on their outages' pages and the network identifiers on
        the contracts'; list the alerts mapping to no contract on the admin index; name the database's refusals."""
        from backoffice.registry import register
        from contracts.models import Contract
        from sla.models import Outage

        from . import evidence, roles, worklists
        from .admin.parts import AlertInline, IdentifierInline
        from .models import IMMUTABLE_TABLES

        register("admin_inlines", IdentifierInline, to=Contract)
        register("admin_inlines", AlertInline, to=Outage)
        for worklist in worklists.WORKLISTS:
            register("worklists", worklist)
        register("role_grants", roles.GRANTS, name=self.name)
        register("outage_evidence", evidence.alerts_of, name="monitoring.alerts")
        for table in IMMUTABLE_TABLES:
            register(
                "database_refusals", _("A received alert request is evidence: it never changes."), name=f"{table}_kept"
            )
