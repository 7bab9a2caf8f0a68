from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Quality guarantee")

    def ready(self):
        """Declare the SLA roles' permissions; hand granted credits to billing and hear when they are invoiced;
        put outages and credits on the customer timeline and the SLA worklists on the admin index."""
        from backoffice import timeline
        from backoffice.roles import grant
        from backoffice.worklists import add_worklist
        from billing import signals, sources

        from . import roles
        from . import timeline as sla_timeline
        from .services import charges
        from .worklists import WORKLISTS

        sources.register("sla.credits", charges.granted_credits)
        signals.charges_invoiced.connect(charges.mark_invoiced, dispatch_uid="sla.mark_invoiced")
        timeline.add_sources(*sla_timeline.SOURCES)
        for worklist in WORKLISTS:
            add_worklist(worklist)
        grant(roles.GRANTS)
