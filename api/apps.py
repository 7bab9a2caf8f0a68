from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        """Declare the token permissions; send the webhooks: hear the events, name their outbox topic and give
        the outbox their secrets; show the subscriptions in the admin."""
        from backoffice.registry import register
        from outbox.topics import Topic

        from . import history, roles, schema  # noqa: F401 (history connects its receiver, schema its extension)
        from .webhooks import admin, events, subscriptions  # noqa: F401 (admin registers its screens)

        register("role_grants", roles.GRANTS, name=self.name)
        events.connect()
        topic = Topic(subscriptions.TOPIC, "api.view_webhooksubscription", _("Webhooks"))
        register("outbox_topics", topic)
        register("outbox_secrets", subscriptions.secret_of, name=subscriptions.TOPIC)
