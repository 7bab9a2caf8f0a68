from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Quality guarantee")

    def ready(self):
        """Declare the SLA roles' permissions; hand granted credits to billing and hear when they are invoiced;
        put outages and credits on the customer timeline and the SLA worklists on the admin index; send the failure
        notices and hear when the outbox has sent one."""
        from backoffice.registry import register
        from billing import signals
        from outbox import signals as outbox_signals
        from outbox.topics import Topic

        from . import roles
        from . import timeline as sla_timeline
        from .services import charges, notices
        from .worklists import WORKLISTS

        register("charge_sources", charges.granted_credits, name="sla.credits")
        signals.charges_invoiced.connect(charges.mark_invoiced, dispatch_uid="sla.mark_invoiced")
        for source in sla_timeline.SOURCES:
            register("timeline_sources", source)
        for worklist in WORKLISTS:
            register("worklists", worklist)
        register("role_grants", roles.GRANTS, name=self.name)
        register(
            "outbox_topics",
            Topic(notices.TOPIC, "sla.view_failurenotification", _("Failure notices"), "FAILURE_NOTICE_FROM_EMAIL"),
        )
        outbox_signals.sent.connect(notices.sent, dispatch_uid="sla.notices.sent")
