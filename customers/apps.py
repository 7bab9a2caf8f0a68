from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from backoffice import timeline
        from backoffice.roles import grant

        from . import roles
        from . import timeline as customer_timeline

        timeline.add_sources(*customer_timeline.SOURCES)
        grant(roles.GRANTS)
